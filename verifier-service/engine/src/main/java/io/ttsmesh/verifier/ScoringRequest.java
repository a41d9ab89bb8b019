package io.ttsmesh.verifier;

import java.util.List;

/**
 * One ScoreSteps call.
 *
 * @param verifier "prm" when null or empty; a verifier name or a stack such as "rules+prm"
 * @param question as the client wrote it; the engine checks it with the task and scores its canonical text
 * @param task     the question's task; "arithmetic" when null or empty
 */
public record ScoringRequest(String requestId, String verifier, String question, List<CandidateInput> candidates,
                             String task) {

    public ScoringRequest {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
    }

    /** A call of the default task. */
    public ScoringRequest(String requestId, String verifier, String question, List<CandidateInput> candidates) {
        this(requestId, verifier, question, candidates, null);
    }
}
