package io.ttsmesh.verifier.prefix;

/**
 * What scoring a token prefix that ends at a step boundary left behind: the prefix's tokens (to verify a
 * hash hit), its step scores, and, for models with a KV past, the past keys and values of every token.
 *
 * @param tokens the prefix (an array that may be longer: only the first {@code length} count)
 * @param scores one per step in the prefix (none for the question alone)
 * @param kv null for models without a past; else the KV of the whole prefix ({@code kv.end() == length})
 */
public record PrefixState(long[] tokens, int length, float[] scores, KvSegment kv) {

    public PrefixState {
        if (kv != null && kv.end() != length) {
            throw new IllegalArgumentException("KV covers " + kv.end() + " tokens of a " + length + "-token prefix");
        }
    }

    private static final int OVERHEAD_BYTES = 96;

    public boolean hasKv() {
        return kv != null;
    }

    /** Heap bytes this state holds, for the cache's bound. */
    public long bytes() {
        return OVERHEAD_BYTES + 8L * length + 4L * scores.length + (kv == null ? 0 : kv.reachableBytes());
    }
}
