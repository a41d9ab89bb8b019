package io.ttsmesh.verifier;

import java.util.List;

/**
 * One ScoreSteps call.
 *
 * @param verifier "prm" when null or empty
 */
public record ScoringRequest(String requestId, String verifier, String question, List<CandidateInput> candidates) {

    public ScoringRequest {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }
}
