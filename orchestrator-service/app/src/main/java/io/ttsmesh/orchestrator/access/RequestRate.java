package io.ttsmesh.orchestrator.access;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A token bucket: {@code perSecond} requests a second on average, up to {@code burst} at once. The bucket
 * refills continuously; a request takes one token or is told how long until one is there.
 */
public final class RequestRate {

    private final double perSecond;
    private final double burst;
    private final ReentrantLock lock = new ReentrantLock();
    private double tokens;
    private long refilledAt;

    public RequestRate(double perSecond, int burst) {
        if (!(perSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a request rate needs requests-per-second > 0 and burst >= 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = System.nanoTime();
    }

    /** Takes one request's token: 0 when taken, else the nanoseconds until one is available (nothing taken). */
    public long tryTake() {
        lock.lock();
        try {
            refill();
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perSecond * 1e9);
        } finally {
            lock.unlock();
        }
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
        refilledAt = now;
    }
}
