package io.ttsmesh.verifier;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One verifier behind the ScoreSteps RPC. Requests arrive validated as a whole (request id, question,
 * candidate count); each candidate is checked here and, when it cannot be scored, answered with its own
 * error while the others are scored.
 */
public interface StepVerifier {

    String name();

    VerifierInfo info();

    /**
     * Scores the candidates, results in their order. Fails the returned future (or throws) with a
     * {@link VerifierException} only for errors of the call as a whole (full queue, deadline).
     */
    CompletableFuture<List<CandidateResult>> score(String question, List<CandidateInput> candidates, Instant deadline);
}
