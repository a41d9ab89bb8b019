package io.ttsmesh.verifier.confidence;

import io.ttsmesh.task.Task;
import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.verifier.Limits;
import io.ttsmesh.verifier.ModelTask;
import io.ttsmesh.verifier.StatusCode;
import io.ttsmesh.verifier.StepVerifier;
import io.ttsmesh.verifier.TaskQuestion;
import io.ttsmesh.verifier.TokenLogprob;
import io.ttsmesh.verifier.VerifierInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code confidence} verifier: step scores from the generator's own token log-probabilities, passed in
 * the request; no model.
 *
 * <p>The formula, DeepConf's token confidence mapped to [0, 1]:
 * <ul>
 * <li>token confidence (DeepConf): {@code C_t = -(1/k) * sum_j log p_t(j)} over the k >= 2 alternatives the
 *     generator ranked highest at token t. A peaked distribution gives tiny alternatives and a large C_t.
 *     Since the top-k probabilities sum to at most 1, their geometric mean is at most 1/k, so
 *     {@code C_t >= ln k}: the excess {@code e_t = C_t - ln k} is >= 0, and 0 exactly when the k
 *     alternatives are equally likely (no preference at all).</li>
 * <li>step confidence: {@code s = 1 - exp(-mean_t e_t)} over the step's tokens (DeepConf's group confidence
 *     with the step as the group). For one token this is {@code 1 - k * geometric mean of its top-k
 *     probabilities}: 0 for a flat top-k, towards 1 as the distribution sharpens.</li>
 * <li>score of step j: the lowest step confidence among steps 1..j (DeepConf's lowest group confidence),
 *     so that, as with a PRM, a step's score speaks for it and everything before it.</li>
 * </ul>
 *
 * <p>It serves the pod's task only, like the PRM: the log-probabilities come from the generator paired with the
 * pod's models, and a search of another task belongs on that task's pods.
 */
public final class ConfidenceVerifier implements StepVerifier {

    private final Limits limits;
    private final ModelTask task;

    public ConfidenceVerifier(Limits limits, ModelTask task) {
        this.limits = limits;
        this.task = task;
    }

    @Override
    public String name() {
        return "confidence";
    }

    @Override
    public VerifierInfo info() {
        return new VerifierInfo(name(), "generator confidence: per step 1 - exp(-mean(C_t - ln k)) with DeepConf's "
                + "token confidence C_t = -mean top-k logprob (k >= 2), the lowest so far; needs Candidate.logprobs",
                "", 0, limits.maxCandidates(), limits.maxSteps(), List.of(task.name()));
    }

    @Override
    public void checkTask(Task requested) {
        task.require(requested, name());
    }

    @Override
    public CompletableFuture<List<CandidateResult>> score(TaskQuestion question, List<CandidateInput> candidates,
                                                          Instant deadline) {
        checkTask(question.task());
        List<CandidateResult> results = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            results.add(score(i, candidates.get(i)));
        }
        return CompletableFuture.completedFuture(results);
    }

    private CandidateResult score(int i, CandidateInput c) {
        String field = "candidates[" + i + "] (id '" + c.id() + "')";
        int steps = c.steps().size();
        if (steps == 0) {
            return reject(c, field + ": steps is empty, nothing to score");
        }
        if (steps > limits.maxSteps()) {
            return reject(c, field + ": " + steps + " steps, at most " + limits.maxSteps()
                    + " (tts.verifier.limits.max-steps)");
        }
        if (c.logprobs().size() != steps) {
            return reject(c, field + ".logprobs: " + c.logprobs().size() + " entries for " + steps
                    + " steps; the confidence verifier needs the generator's token log-probabilities of every step");
        }
        float[] scores = new float[steps];
        double lowest = 1.0;
        for (int j = 0; j < steps; j++) {
            List<TokenLogprob> tokens = c.logprobs().get(j);
            if (tokens.isEmpty()) {
                return reject(c, field + ".logprobs[" + j + "] has no tokens");
            }
            double excess = 0;
            for (int t = 0; t < tokens.size(); t++) {
                float[] top = tokens.get(t).topLogprobs();
                if (top.length < 2) {
                    return reject(c, field + ".logprobs[" + j + "].tokens[" + t + "].top has " + top.length
                            + " alternatives; the confidence verifier needs at least 2 (Sampling.top_logprobs >= 2)");
                }
                double sum = 0;
                for (float lp : top) {
                    if (Float.isNaN(lp) || lp > 1e-4f) {
                        return reject(c, field + ".logprobs[" + j + "].tokens[" + t + "].top holds " + lp
                                + ", not a log-probability");
                    }
                    sum += lp;
                }
                double confidence = -sum / top.length;
                excess += Math.max(0.0, confidence - Math.log(top.length));
            }
            double step = 1.0 - Math.exp(-excess / tokens.size());
            lowest = Math.min(lowest, step);
            scores[j] = (float) lowest;
        }
        return CandidateResult.scored(c.id(), c.lastStepOnly() ? new float[] {scores[steps - 1]} : scores);
    }

    private static CandidateResult reject(CandidateInput c, String message) {
        return CandidateResult.rejected(c.id(), StatusCode.INVALID_ARGUMENT, message);
    }
}
