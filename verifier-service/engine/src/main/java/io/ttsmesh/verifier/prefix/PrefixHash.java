package io.ttsmesh.verifier.prefix;

/**
 * 64-bit hashes of the token prefixes of one sequence, all in one pass: the prefix through each step
 * boundary is looked up in the {@link PrefixCache} by its hash (hits are then verified token by token).
 */
public final class PrefixHash {

    private static final long PRIME = 0x100000001B3L;
    private static final long SEED = 0xCBF29CE484222325L;

    private PrefixHash() {
    }

    /** The hash of {@code tokens[0, length)}. */
    public static long of(long[] tokens, int length) {
        long h = SEED;
        for (int i = 0; i < length; i++) {
            h = (h ^ tokens[i]) * PRIME;
        }
        return finish(h, length);
    }

    /** Hashes of {@code tokens[0, ends[i])} for ascending {@code ends}; entries < 0 are skipped (0). */
    public static long[] ofPrefixes(long[] tokens, int[] ends) {
        long[] out = new long[ends.length];
        long h = SEED;
        int at = 0;
        for (int i = 0; i < ends.length; i++) {
            if (ends[i] < 0) {
                continue;
            }
            for (; at < ends[i]; at++) {
                h = (h ^ tokens[at]) * PRIME;
            }
            out[i] = finish(h, ends[i]);
        }
        return out;
    }

    /** FNV-1a over the tokens, then MurmurHash3's finalizer so that nearby prefixes spread. */
    private static long finish(long h, int length) {
        long x = h ^ (length * 0x9E3779B97F4A7C15L);
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        x *= 0xC4CEB9FE1A85EC53L;
        x ^= x >>> 33;
        return x;
    }
}
