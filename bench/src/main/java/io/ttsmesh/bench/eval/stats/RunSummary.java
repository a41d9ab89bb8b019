package io.ttsmesh.bench.eval.stats;

import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.bench.eval.results.QuestionResult;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One run's results in numbers.
 *
 * @param accuracy with its 95% bootstrap interval (failed searches count as wrong)
 * @param meanTokens generated tokens per question
 * @param p50LatencyMs and @param p99LatencyMs of the searches as the harness saw them
 * @param stops how many searches stopped for each reason
 * @param byDifficulty accuracy per difficulty label (per task and difficulty when the results are of several tasks)
 * @param graderDisagreements searches whose answer the task's grader reads differently from the chosen solution
 * @param chosen what compute_optimal chose, and how often
 */
public record RunSummary(RunConfig run, int questions, Bootstrap.Interval accuracy, double meanTokens,
                         double meanPrefillTokens, double meanVerifierCalls, double meanBranches, long p50LatencyMs,
                         long p99LatencyMs, int failed, Map<String, Integer> stops,
                         Map<String, DifficultyAccuracy> byDifficulty, int graderDisagreements,
                         Map<String, Integer> chosen) {

    /** Accuracy over the questions of one difficulty. */
    public record DifficultyAccuracy(int questions, double accuracy, double meanTokens) {
    }

    public static RunSummary of(RunConfig run, List<QuestionResult> results, Bootstrap bootstrap) {
        int n = results.size();
        double[] correct = results.stream().mapToDouble(r -> r.correct() ? 1 : 0).toArray();
        Map<String, Integer> stops = new TreeMap<>();
        Map<String, Integer> chosen = new TreeMap<>();
        Map<String, double[]> diff = new TreeMap<>();
        int disagreements = 0;
        boolean oneTask = results.stream().map(QuestionResult::taskName).distinct().count() <= 1;
        for (QuestionResult r : results) {
            stops.merge(r.stopReason(), 1, Integer::sum);
            if (r.chosenStrategy() != null) {
                chosen.merge(r.chosenStrategy(), 1, Integer::sum);
            }
            String label = oneTask ? r.difficultyLabel() : r.taskName() + " " + r.difficultyLabel();
            double[] d = diff.computeIfAbsent(label, k -> new double[3]);
            d[0]++;
            d[1] += r.correct() ? 1 : 0;
            d[2] += r.generatedTokens();
            if (r.answer() != null && !r.answer().equals(r.graderAnswer())) {
                disagreements++;
            }
        }
        Map<String, DifficultyAccuracy> byDifficulty = new TreeMap<>();
        diff.forEach((k, d) -> byDifficulty.put(k, new DifficultyAccuracy((int) d[0], d[1] / d[0], d[2] / d[0])));
        long[] latency = results.stream().mapToLong(QuestionResult::latencyMs).toArray();
        return new RunSummary(run, n, bootstrap.mean(correct),
                results.stream().mapToLong(QuestionResult::generatedTokens).average().orElse(Double.NaN),
                results.stream().mapToLong(QuestionResult::prefillTokens).average().orElse(Double.NaN),
                results.stream().mapToInt(QuestionResult::verifierCalls).average().orElse(Double.NaN),
                results.stream().mapToInt(QuestionResult::branches).average().orElse(Double.NaN),
                Percentiles.nearestRank(latency, 50), Percentiles.nearestRank(latency, 99),
                (int) results.stream().filter(r -> !r.done()).count(), stops, byDifficulty, disagreements, chosen);
    }
}
