package io.ttsmesh.verifier;

/**
 * Bounds of one call.
 *
 * @param maxCandidates most candidates per call (more: the call fails with INVALID_ARGUMENT)
 * @param maxSteps most steps per candidate (more: that candidate is rejected with INVALID_ARGUMENT)
 */
public record Limits(int maxCandidates, int maxSteps) {

    public static final Limits DEFAULTS = new Limits(256, 64);

    public Limits {
        if (maxCandidates < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("limits must be >= 1: max-candidates=" + maxCandidates
                    + ", max-steps=" + maxSteps);
        }
    }
}
