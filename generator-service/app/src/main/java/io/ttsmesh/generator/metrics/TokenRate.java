package io.ttsmesh.generator.metrics;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Tokens per second over the last few whole seconds, for a gauge that reads like a speedometer
 * (Prometheus' rate() over the token counter gives the same over any window).
 */
final class TokenRate {

    private static final int SECONDS = 10;

    private final AtomicLongArray counts = new AtomicLongArray(SECONDS);
    private final AtomicLongArray stamps = new AtomicLongArray(SECONDS);
    private final LongSupplier clockNanos;

    TokenRate(LongSupplier clockNanos) {
        this.clockNanos = clockNanos;
    }

    void add(long tokens) {
        long second = clockNanos.getAsLong() / 1_000_000_000L;
        int slot = (int) (second % SECONDS);
        if (stamps.get(slot) != second) {
            stamps.set(slot, second);
            counts.set(slot, 0);
        }
        counts.addAndGet(slot, tokens);
    }

    /** Mean tokens per second over the last {@value #SECONDS} seconds, the current one excluded. */
    double perSecond() {
        long now = clockNanos.getAsLong() / 1_000_000_000L;
        long sum = 0;
        for (int i = 0; i < SECONDS; i++) {
            long stamp = stamps.get(i);
            if (stamp < now && stamp >= now - SECONDS + 1) {
                sum += counts.get(i);
            }
        }
        return sum / (double) (SECONDS - 1);
    }
}
