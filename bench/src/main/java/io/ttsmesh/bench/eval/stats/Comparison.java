package io.ttsmesh.bench.eval.stats;

import io.ttsmesh.bench.eval.results.QuestionResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A run against its baseline over the questions both answered: the accuracy difference with a paired 95%
 * bootstrap interval, and the share of the baseline's generated tokens the run used.
 *
 * @param tokenRatio the run's mean generated tokens over the baseline's (0.4 = 60% saved)
 */
public record Comparison(String run, String baseline, int questions, double accuracy, double baselineAccuracy,
                         Bootstrap.Interval accuracyDifference, double meanTokens, double baselineMeanTokens,
                         double tokenRatio) {

    public static Comparison of(String run, List<QuestionResult> results, String baseline,
                                List<QuestionResult> baselineResults, Bootstrap bootstrap) {
        Map<String, QuestionResult> base = baselineResults.stream()
                .collect(Collectors.toMap(QuestionResult::id, Function.identity(), (a, b) -> b));
        List<double[]> pairs = new ArrayList<>();
        double tokens = 0;
        double baseTokens = 0;
        for (QuestionResult r : results) {
            QuestionResult b = base.get(r.id());
            if (b == null) {
                continue;
            }
            pairs.add(new double[] {r.correct() ? 1 : 0, b.correct() ? 1 : 0});
            tokens += r.generatedTokens();
            baseTokens += b.generatedTokens();
        }
        int n = pairs.size();
        double[] a = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] bb = pairs.stream().mapToDouble(p -> p[1]).toArray();
        Bootstrap.Interval diff = bootstrap.pairedDifference(a, bb);
        return new Comparison(run, baseline, n, n == 0 ? Double.NaN : java.util.Arrays.stream(a).average().orElse(0),
                n == 0 ? Double.NaN : java.util.Arrays.stream(bb).average().orElse(0), diff,
                n == 0 ? Double.NaN : tokens / n, n == 0 ? Double.NaN : baseTokens / n,
                baseTokens == 0 ? Double.NaN : tokens / baseTokens);
    }

    /** Tokens saved relative to the baseline, in percent. */
    public double tokensSavedPercent() {
        return 100 * (1 - tokenRatio);
    }
}
