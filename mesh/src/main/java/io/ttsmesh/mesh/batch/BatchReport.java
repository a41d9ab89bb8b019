package io.ttsmesh.mesh.batch;

import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.task.TaskRegistry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A finished batch, each answer graded by its question's task (which only grades: the search chose the answers).
 *
 * @param correct       results whose solution their task's grader accepts
 * @param byTask        per task: results and correct ones, in order of first appearance
 * @param meanTokens    generated tokens per request (probes included), as the searches reported them
 * @param stopReasons   how many searches ended for each reason
 */
public record BatchReport(int questions, int results, int correct, Map<String, TaskScore> byTask, double meanTokens,
                          double meanVerifierCalls, Map<String, Integer> stopReasons, Map<String, Integer> duplicates,
                          Duration elapsed) {

    /** Results of one task and how many of them its grader accepts. */
    public record TaskScore(int results, int correct) {

        TaskScore plus(boolean right) {
            return new TaskScore(results + 1, correct + (right ? 1 : 0));
        }

        public double accuracy() {
            return results == 0 ? 0 : (double) correct / results;
        }
    }

    public static BatchReport of(List<Question> questions, Map<String, String> requestIds, KafkaBatch.Outcome outcome,
                                 TaskRegistry tasks) {
        int correct = 0;
        long tokens = 0;
        long calls = 0;
        Map<String, TaskScore> byTask = new LinkedHashMap<>();
        Map<String, Integer> reasons = new TreeMap<>();
        for (Question q : questions) {
            SolveResult r = outcome.results().get(requestIds.get(q.id()));
            if (r == null) {
                continue;
            }
            boolean right = tasks.get(q.task()).grade(q.question(), r.getSolution(), q.answer()).correct();
            if (right) {
                correct++;
            }
            byTask.merge(q.task(), new TaskScore(1, right ? 1 : 0), (a, b) -> a.plus(right));
            tokens += r.getSpend().getGeneratedTokens();
            calls += r.getSpend().getVerifierCalls();
            reasons.merge(r.getStopReason().name(), 1, Integer::sum);
        }
        int n = outcome.results().size();
        return new BatchReport(questions.size(), n, correct, byTask, n == 0 ? 0 : (double) tokens / n,
                n == 0 ? 0 : (double) calls / n, reasons, outcome.duplicates(), outcome.elapsed());
    }

    public double accuracy() {
        return results == 0 ? 0 : (double) correct / results;
    }

    public String render() {
        double seconds = elapsed.toMillis() / 1000.0;
        String perTask = byTask.size() < 2 ? "" : byTask.entrySet().stream()
                .map(e -> String.format("%n  %-17s %.1f%% (%d/%d)", e.getKey(), 100 * e.getValue().accuracy(),
                        e.getValue().correct(), e.getValue().results()))
                .collect(Collectors.joining());
        return String.format("""
                questions           %d
                results             %d (exactly once: %s)
                accuracy            %.1f%% (%d/%d, graded by each question's task: %s)%s
                mean tokens         %.1f generated per question
                mean verifier calls %.1f per question
                stop reasons        %s
                time                %.1f s (%.2f questions/s)""",
                questions, results, duplicates.isEmpty() ? "yes" : "NO, duplicates " + duplicates,
                100 * accuracy(), correct, results, String.join(", ", byTask.keySet()), perTask,
                meanTokens, meanVerifierCalls, stopReasons, seconds, seconds == 0 ? 0 : results / seconds);
    }
}
