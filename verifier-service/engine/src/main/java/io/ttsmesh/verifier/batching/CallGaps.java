package io.ttsmesh.verifier.batching;

/**
 * The mean gap between scoring calls, as an exponentially weighted moving average over their arrivals. The
 * batcher waits for companions only while calls come closer together than its max-wait: one search alone calls
 * once per step of its generator (milliseconds apart), and holding each of its calls for companions that are not
 * coming would add the whole max-wait to every call. A newest gap weighs a quarter, so one gap of four max-waits
 * or more ends the waiting at once: a lull after busy traffic does not make its first call wait.
 */
final class CallGaps {

    private static final double WEIGHT = 0.25;

    private long last;
    private boolean seen;
    private double meanNanos = Double.POSITIVE_INFINITY;

    synchronized void arrived(long nanos) {
        if (seen) {
            double gap = Math.max(0, nanos - last);
            meanNanos = Double.isInfinite(meanNanos) ? gap : meanNanos + WEIGHT * (gap - meanNanos);
        }
        last = nanos;
        seen = true;
    }

    /** Whether calls have been arriving less than {@code nanos} apart on average (false before the second call). */
    synchronized boolean closerThan(long nanos) {
        return meanNanos < nanos;
    }
}
