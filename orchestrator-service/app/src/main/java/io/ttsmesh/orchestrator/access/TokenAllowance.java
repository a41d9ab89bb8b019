package io.ttsmesh.orchestrator.access;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A key's rolling token allowance: at most {@code allowance} tokens over any {@code window}, refilled
 * continuously (a token bucket over tokens). A search reserves its whole budget.max_tokens before it starts,
 * so a key can never start more work than it has left; what the search did not spend is given back when it
 * ends.
 */
public final class TokenAllowance {

    private final long allowance;
    private final double perNano;
    private final ReentrantLock lock = new ReentrantLock();
    private double left;
    private long refilledAt;

    public TokenAllowance(long allowance, Duration window) {
        if (allowance < 1 || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("a token allowance needs allowance >= 1 and a positive window");
        }
        this.allowance = allowance;
        this.perNano = (double) allowance / window.toNanos();
        this.left = allowance;
        this.refilledAt = System.nanoTime();
    }

    /** Reserves {@code tokens}: 0 when reserved, else the nanoseconds until that many are back (nothing reserved). */
    public long tryReserve(long tokens) {
        lock.lock();
        try {
            refill();
            if (tokens > allowance) {
                return Long.MAX_VALUE;
            }
            if (left >= tokens) {
                left -= tokens;
                return 0;
            }
            return (long) Math.ceil((tokens - left) / perNano);
        } finally {
            lock.unlock();
        }
    }

    /** Gives back tokens reserved but not spent. */
    public void refund(long tokens) {
        if (tokens <= 0) {
            return;
        }
        lock.lock();
        try {
            refill();
            left = Math.min(allowance, left + tokens);
        } finally {
            lock.unlock();
        }
    }

    public long left() {
        lock.lock();
        try {
            refill();
            return (long) left;
        } finally {
            lock.unlock();
        }
    }

    private void refill() {
        long now = System.nanoTime();
        left = Math.min(allowance, left + (now - refilledAt) * perNano);
        refilledAt = now;
    }
}
