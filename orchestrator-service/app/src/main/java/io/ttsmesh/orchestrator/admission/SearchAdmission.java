package io.ttsmesh.orchestrator.admission;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many searches this pod runs at once, and how many may wait for a slot. A request beyond both is
 * refused at once ({@link #tryAdmit()} returns null), never after a timeout. Kafka jobs, already bounded
 * by their own in-flight limit, wait for a running slot without taking a queue place
 * ({@link #admitWaiting()}), so a batch never makes interactive clients see 429.
 */
public final class SearchAdmission {

    private final int maxConcurrent;
    private final int maxQueued;
    private final Semaphore slots;
    private final AtomicInteger queued = new AtomicInteger();

    public SearchAdmission(int maxConcurrent, int maxQueued) {
        if (maxConcurrent < 1 || maxQueued < 0) {
            throw new IllegalArgumentException("admission needs max-concurrent >= 1 and max-queued >= 0");
        }
        this.maxConcurrent = maxConcurrent;
        this.maxQueued = maxQueued;
        this.slots = new Semaphore(maxConcurrent, true);
    }

    /** A place in the queue or a running slot at once, or null when both are full. */
    public Ticket tryAdmit() {
        if (slots.tryAcquire()) {
            return new Ticket(true, true);
        }
        while (true) {
            int q = queued.get();
            if (q >= maxQueued) {
                return null;
            }
            if (queued.compareAndSet(q, q + 1)) {
                return new Ticket(false, true);
            }
        }
    }

    /** A ticket for a caller that is bounded elsewhere and may wait for its slot. */
    public Ticket admitWaiting() {
        return new Ticket(slots.tryAcquire(), false);
    }

    public int running() {
        return maxConcurrent - slots.availablePermits();
    }

    public int queued() {
        return queued.get();
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    /** One admitted search: it holds a running slot, or waits for one; release it exactly once at the end. */
    public final class Ticket implements AutoCloseable {

        private volatile boolean running;
        private final AtomicBoolean inQueue;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Ticket(boolean running, boolean countsInQueue) {
            this.running = running;
            this.inQueue = new AtomicBoolean(countsInQueue && !running);
        }

        private void leaveQueue() {
            if (inQueue.compareAndSet(true, false)) {
                queued.decrementAndGet();
            }
        }

        /**
         * Waits for a running slot, at most {@code patience}; true once it runs. Interruptible (a client
         * that goes away while queued leaves the queue).
         */
        public boolean awaitSlot(Duration patience) throws InterruptedException {
            if (running) {
                return true;
            }
            try {
                running = slots.tryAcquire(Math.max(0, patience.toNanos()), TimeUnit.NANOSECONDS);
                return running;
            } finally {
                leaveQueue();
            }
        }

        public boolean running() {
            return running;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                leaveQueue();
                if (running) {
                    slots.release();
                }
            }
        }
    }
}
