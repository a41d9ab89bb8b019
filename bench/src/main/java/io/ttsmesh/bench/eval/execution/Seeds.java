package io.ttsmesh.bench.eval.execution;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The seed of one search, derived from the evaluation's base seed, the question's id and the run's seed key:
 * reruns reproduce every search, and no seed depends on the order or concurrency in which searches run.
 * Runs that share a seed key (by default all of them) see the same random streams for a question: best-of-16
 * and best-of-16 with pruning draw the same samples, so their difference is the policy's, not the dice's.
 */
public final class Seeds {

    private Seeds() {
    }

    /** A non-negative 63-bit seed. */
    public static long of(long baseSeed, String questionId, String seedKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] d = sha.digest((baseSeed + "\u0000" + questionId + "\u0000" + seedKey).getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xff);
            }
            return v >>> 1;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
