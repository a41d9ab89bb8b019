package io.ttsmesh.generator.engine.sampling;

/**
 * Counter-based randomness: the uniform number used to draw the token at absolute position {@code t}
 * of a branch is a hash of {@code (seed, t)} and nothing else. A branch therefore samples the same
 * tokens whether it is decoded alone or in any batch, in any order, and a fork given its parent's seed
 * continues exactly as the parent would (same history, same positions, same numbers).
 */
public final class BranchRandom {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private BranchRandom() {
    }

    /** A uniform number in [0, 1) for drawing the token at {@code position} of a branch seeded with {@code seed}. */
    public static double uniform(long seed, int position) {
        long bits = mix(seed ^ mix(position * GOLDEN + 0x632BE59BD9B4E019L));
        return (bits >>> 11) * 0x1.0p-53;
    }

    /** A child seed, e.g. branch {@code id}'s seed from a request seed, or a fork's from its parent's. */
    public static long derive(long seed, long id) {
        return mix(seed + GOLDEN * (id + 1));
    }

    /** SplitMix64's finalizer: a bijective avalanche mix of 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
