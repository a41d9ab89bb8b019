package io.ttsmesh.mesh.batch;

import io.ttsmesh.mesh.HeldOutQuestion;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.testbed.Grader;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A finished batch, graded with the test bed's grader (which only grades: the search chose the answers).
 *
 * @param correct       results whose solution the grader accepts
 * @param meanTokens    generated tokens per request (probes included), as the searches reported them
 * @param stopReasons   how many searches ended for each reason
 */
public record BatchReport(int questions, int results, int correct, double meanTokens, double meanVerifierCalls,
                          Map<String, Integer> stopReasons, Map<String, Integer> duplicates, Duration elapsed) {

    public static BatchReport of(List<HeldOutQuestion> questions, Map<String, String> requestIds, KafkaBatch.Outcome outcome) {
        int correct = 0;
        long tokens = 0;
        long calls = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        for (HeldOutQuestion q : questions) {
            SolveResult r = outcome.results().get(requestIds.get(q.id()));
            if (r == null) {
                continue;
            }
            if (Grader.grade(q.question(), q.answer(), r.getSolution()).answerCorrect()) {
                correct++;
            }
            tokens += r.getSpend().getGeneratedTokens();
            calls += r.getSpend().getVerifierCalls();
            reasons.merge(r.getStopReason().name(), 1, Integer::sum);
        }
        int n = outcome.results().size();
        return new BatchReport(questions.size(), n, correct, n == 0 ? 0 : (double) tokens / n, n == 0 ? 0 : (double) calls / n,
                reasons, outcome.duplicates(), outcome.elapsed());
    }

    public double accuracy() {
        return results == 0 ? 0 : (double) correct / results;
    }

    public String render() {
        double seconds = elapsed.toMillis() / 1000.0;
        return String.format("""
                questions           %d
                results             %d (exactly once: %s)
                accuracy            %.1f%% (%d/%d, graded by io.ttsmesh.testbed.Grader)
                mean tokens         %.1f generated per question
                mean verifier calls %.1f per question
                stop reasons        %s
                time                %.1f s (%.2f questions/s)""",
                questions, results, duplicates.isEmpty() ? "yes" : "NO, duplicates " + duplicates,
                100 * accuracy(), correct, results, meanTokens, meanVerifierCalls, stopReasons,
                seconds, seconds == 0 ? 0 : results / seconds);
    }
}
