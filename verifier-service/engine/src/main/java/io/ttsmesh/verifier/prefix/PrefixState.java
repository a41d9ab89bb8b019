package io.ttsmesh.verifier.prefix;

/**
 * What scoring a token prefix that ends at a step boundary left behind: the prefix's tokens (to verify a
 * hash hit), its step scores, and, for models with a KV past, the past keys and values of every token.
 *
 * @param scores one per step in the prefix (none for the question alone)
 * @param kv null for models without a past; else [layer][key|value][head][position][headDim] flattened
 */
public record PrefixState(long[] tokens, float[] scores, float[] kv) {

    private static final int OVERHEAD_BYTES = 96;

    public int length() {
        return tokens.length;
    }

    public boolean hasKv() {
        return kv != null;
    }

    /** Heap bytes this state holds, for the cache's bound. */
    public long bytes() {
        return OVERHEAD_BYTES + 8L * tokens.length + 4L * scores.length + (kv == null ? 0 : 4L * kv.length);
    }
}
