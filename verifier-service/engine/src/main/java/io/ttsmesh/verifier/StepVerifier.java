package io.ttsmesh.verifier;

import io.ttsmesh.task.Task;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One verifier behind the ScoreSteps RPC. Requests arrive validated as a whole (request id, question in its
 * task's canonical form, candidate count, {@link #checkTask}); each candidate is checked here and, when it
 * cannot be scored, answered with its own error while the others are scored.
 */
public interface StepVerifier {

    String name();

    VerifierInfo info();

    /**
     * Refuses a task this verifier cannot score; called before {@link #score} on every call.
     *
     * @throws VerifierException INVALID_ARGUMENT naming the field {@code task}
     */
    default void checkTask(Task task) {
    }

    /** True when the answer holds one score per candidate whatever {@code lastStepOnly} says (orm). */
    default boolean oneScorePerCandidate() {
        return false;
    }

    /**
     * Scores the candidates, results in their order. Fails the returned future (or throws) with a
     * {@link VerifierException} only for errors of the call as a whole (full queue, deadline).
     */
    CompletableFuture<List<CandidateResult>> score(TaskQuestion question, List<CandidateInput> candidates,
                                                   Instant deadline);
}
