package io.ttsmesh.verifier.prm;

/**
 * A candidate as the model sees it.
 *
 * @param tokens the formatted candidate, ending with the last step's score token
 * @param scorePositions per step, the index of its score token
 * @param questionBoundary tokens of the question prefix when a KV past may end there, else -1
 */
public record EncodedCandidate(long[] tokens, int[] scorePositions, int questionBoundary) {

    public int steps() {
        return scorePositions.length;
    }

    /**
     * Where the prefix through step {@code j} ends (j = 0: the question alone), or -1 when no past may end
     * there. A past always ends right after a score token: the step boundary the KV contract asks for.
     */
    public int boundary(int j) {
        return j == 0 ? questionBoundary : scorePositions[j - 1] + 1;
    }
}
