package io.ttsmesh.verifier;

/**
 * Scores of one candidate, or why it could not be scored ({@code code} is not OK, {@code scores} empty).
 * The other candidates of a call are answered either way.
 */
public record CandidateResult(String id, float[] scores, StatusCode code, String error) {

    private static final float[] NONE = new float[0];

    public static CandidateResult scored(String id, float[] scores) {
        return new CandidateResult(id, scores, StatusCode.OK, "");
    }

    public static CandidateResult rejected(String id, StatusCode code, String error) {
        return new CandidateResult(id, NONE, code, error);
    }

    public boolean ok() {
        return code == StatusCode.OK;
    }
}
