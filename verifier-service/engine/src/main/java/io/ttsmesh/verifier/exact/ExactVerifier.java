package io.ttsmesh.verifier.exact;

import io.ttsmesh.testbed.ExpressionTree;
import io.ttsmesh.testbed.SolutionFormat;
import io.ttsmesh.testbed.StepChecker;
import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.verifier.Limits;
import io.ttsmesh.verifier.StatusCode;
import io.ttsmesh.verifier.StepVerifier;
import io.ttsmesh.verifier.VerifierInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code exact} verifier: the arithmetic test bed's rule-based step checker ({@link StepChecker}, the
 * same rules that label the PRM's training data), as a stand-in for the checkers users plug in (unit tests
 * for code, a math checker). A step scores 1 when it and every step before it are exactly right, else 0;
 * an answer line is right when it states the question's value. It needs no model and answers at once.
 *
 * <p>On this task the checker knows the right answer from the question alone, so it is an oracle: use it
 * to test the mesh or to bound what a perfect verifier would reach, never to pick answers in an evaluation
 * that reports accuracy (unless the report says so).
 */
public final class ExactVerifier implements StepVerifier {

    private final Limits limits;

    public ExactVerifier(Limits limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return "exact";
    }

    @Override
    public VerifierInfo info() {
        return new VerifierInfo(name(), "rule-based arithmetic checker of the test bed: 1 when the step and all "
                + "before it are exactly right, else 0; an oracle on this task, not for picking answers in evaluation",
                "", 0, limits.maxCandidates(), limits.maxSteps());
    }

    @Override
    public CompletableFuture<List<CandidateResult>> score(String question, List<CandidateInput> candidates,
                                                          Instant deadline) {
        String notArithmetic = null;
        try {
            ExpressionTree.parse(question.strip());
        } catch (RuntimeException e) {
            notArithmetic = "question: the exact verifier checks arithmetic test-bed questions only ("
                    + e.getMessage() + ")";
        }
        List<CandidateResult> results = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            CandidateInput c = candidates.get(i);
            String field = "candidates[" + i + "] (id '" + c.id() + "')";
            if (notArithmetic != null) {
                results.add(reject(c, notArithmetic));
            } else if (c.steps().isEmpty()) {
                results.add(reject(c, field + ": steps is empty, nothing to score"));
            } else if (c.steps().size() > limits.maxSteps()) {
                results.add(reject(c, field + ": " + c.steps().size() + " steps, at most " + limits.maxSteps()
                        + " (tts.verifier.limits.max-steps)"));
            } else {
                results.add(CandidateResult.scored(c.id(), score(question.strip(), c)));
            }
        }
        return CompletableFuture.completedFuture(results);
    }

    private static float[] score(String question, CandidateInput c) {
        List<String> lines = c.steps().stream().map(SolutionFormat::strip).toList();
        List<Boolean> labels = StepChecker.labels(question, lines);
        if (c.lastStepOnly()) {
            return new float[] {labels.getLast() ? 1f : 0f};
        }
        float[] scores = new float[labels.size()];
        for (int j = 0; j < scores.length; j++) {
            scores[j] = labels.get(j) ? 1f : 0f;
        }
        return scores;
    }

    private static CandidateResult reject(CandidateInput c, String message) {
        return CandidateResult.rejected(c.id(), StatusCode.INVALID_ARGUMENT, message);
    }
}
