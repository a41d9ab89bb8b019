package io.ttsmesh.orchestrator.monitor;

import java.util.concurrent.locks.ReentrantLock;

/** Counts over the last minute in one-second buckets: searches finished, tokens generated. Fixed size. */
final class RateWindow {

    /** One bucket more than a minute: the current second is still filling and is not counted. */
    private static final int SECONDS = 61;

    private final long[] counts = new long[SECONDS];
    private final long[] bucketSecond = new long[SECONDS];
    private final ReentrantLock lock = new ReentrantLock();

    void add(long nowMs, long amount) {
        long second = nowMs / 1000;
        int i = (int) (second % SECONDS);
        lock.lock();
        try {
            if (bucketSecond[i] != second) {
                bucketSecond[i] = second;
                counts[i] = 0;
            }
            counts[i] += amount;
        } finally {
            lock.unlock();
        }
    }

    /** The sum over the last {@code seconds} whole seconds before the current one (at most 60). */
    long sum(long nowMs, int seconds) {
        long now = nowMs / 1000;
        long total = 0;
        lock.lock();
        try {
            for (int i = 0; i < SECONDS; i++) {
                long age = now - bucketSecond[i];
                if (age >= 1 && age <= Math.min(seconds, SECONDS - 1)) {
                    total += counts[i];
                }
            }
        } finally {
            lock.unlock();
        }
        return total;
    }
}
