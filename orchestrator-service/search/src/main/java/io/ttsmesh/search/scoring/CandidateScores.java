package io.ttsmesh.search.scoring;

import io.ttsmesh.search.status.StatusCode;

/**
 * Scores of one candidate: one per step, or the newest step's only. {@code errorCode} is null when
 * scored, else a {@link StatusCode}'s name with {@code error} saying why.
 */
public record CandidateScores(String id, float[] stepScores, String errorCode, String error) {

    /** A candidate the verifier could not score. */
    public static CandidateScores failed(String id, StatusCode status, String error) {
        return new CandidateScores(id, null, status.name(), error);
    }

    public boolean ok() {
        return errorCode == null;
    }

    /** Why it was not scored, or null when it was. */
    public StatusCode status() {
        return StatusCode.named(errorCode);
    }

    /** The newest step's score. */
    public float last() {
        return stepScores[stepScores.length - 1];
    }
}
