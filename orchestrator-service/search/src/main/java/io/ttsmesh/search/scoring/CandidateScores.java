package io.ttsmesh.search.scoring;

/**
 * Scores of one candidate: one per step, or the newest step's only. {@code errorCode} is null when
 * scored, else a gRPC status code name with {@code error} saying why.
 */
public record CandidateScores(String id, float[] stepScores, String errorCode, String error) {

    public boolean ok() {
        return errorCode == null;
    }

    /** The newest step's score. */
    public float last() {
        return stepScores[stepScores.length - 1];
    }
}
