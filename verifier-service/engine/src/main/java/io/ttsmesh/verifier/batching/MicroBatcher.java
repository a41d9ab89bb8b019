package io.ttsmesh.verifier.batching;

import io.ttsmesh.verifier.ScoringMetrics;
import io.ttsmesh.verifier.StatusCode;
import io.ttsmesh.verifier.VerifierException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gathers jobs submitted by many callers into batches of at most {@code maxSize}, waiting at most
 * {@code maxWait} for companions while calls arrive closer together than that ({@link CallGaps}; otherwise a
 * batch runs with what is queued), and hands each batch to the runner on a worker thread. The queue is
 * bounded: a submission that does not fit as a whole is refused with RESOURCE_EXHAUSTED, so a call is
 * either queued entirely or not at all. A call's jobs enter the queue at once: a worker never finds only the
 * first of them (which would run a lone caller's call as two batches).
 *
 * <p>Workers are platform threads: a model run is a long native call that would pin a virtual thread's
 * carrier anyway.
 */
public final class MicroBatcher<J extends BatchJob> implements AutoCloseable {

    /** Runs one batch and completes each of its jobs; an exception fails the jobs it left open. */
    @FunctionalInterface
    public interface BatchRunner<J> {
        void run(List<J> batch) throws Exception;
    }

    private final BatchSettings settings;
    private final BatchRunner<J> runner;
    private final ScoringMetrics metrics;
    /** Guarded by {@link #lock}; {@link #arrived} is signalled when a call's jobs are in. */
    private final ArrayDeque<J> queue = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Semaphore room;
    private final CallGaps gaps = new CallGaps();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean open = true;

    public MicroBatcher(String name, BatchSettings settings, BatchRunner<J> runner, ScoringMetrics metrics) {
        this.settings = settings;
        this.runner = runner;
        this.metrics = metrics;
        this.room = new Semaphore(settings.queueCapacity());
        for (int i = 0; i < settings.workers(); i++) {
            Thread t = Thread.ofPlatform().daemon().name(name + "-batcher-" + i).start(this::work);
            workers.add(t);
        }
    }

    /**
     * Queues all jobs or none.
     *
     * @throws VerifierException RESOURCE_EXHAUSTED when the queue has no room for them, UNAVAILABLE when closed
     */
    public void submit(List<J> jobs) {
        if (!open) {
            throw new VerifierException(StatusCode.UNAVAILABLE, "the verifier is shutting down");
        }
        if (!room.tryAcquire(jobs.size())) {
            throw new VerifierException(StatusCode.RESOURCE_EXHAUSTED, "scoring queue full: " + jobs.size()
                    + " candidates do not fit, " + queued() + " of " + settings.queueCapacity()
                    + " places taken (tts.verifier.batch.queue-capacity); retry later");
        }
        long now = System.nanoTime();
        for (J job : jobs) {
            job.enqueuedAt(now);
        }
        gaps.arrived(now);
        lock.lock();
        try {
            queue.addAll(jobs);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Candidates waiting for a model run. */
    public int queued() {
        return settings.queueCapacity() - room.availablePermits();
    }

    public BatchSettings settings() {
        return settings;
    }

    private void work() {
        while (open) {
            List<J> batch;
            try {
                batch = gather();
            } catch (InterruptedException e) {
                break;
            }
            if (batch == null) {
                continue;
            }
            room.release(batch.size());
            List<J> live = dropExpired(batch);
            if (live.isEmpty()) {
                continue;
            }
            try {
                runner.run(live);
            } catch (Throwable t) {
                VerifierException error = new VerifierException(StatusCode.INTERNAL,
                        "model run failed: " + t.getMessage(), t);
                live.forEach(j -> j.fail(error));
            }
        }
    }

    private List<J> gather() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (queue.isEmpty()) {
                arrived.await(100, TimeUnit.MILLISECONDS);
                if (queue.isEmpty()) {
                    return null; // nothing came, or another worker took it
                }
            }
            int max = settings.maxSize();
            List<J> batch = new ArrayList<>(max);
            J first = queue.peek();
            take(batch, max);
            long maxWait = settings.maxWait().toNanos();
            if (!gaps.closerThan(maxWait)) {
                return batch;
            }
            long until = first.enqueuedAt() + maxWait;
            while (batch.size() < max) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                if (queue.isEmpty()) {
                    arrived.awaitNanos(left);
                }
                take(batch, max);
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Moves queued jobs into the batch until it holds {@code max}; the caller holds the lock. */
    private void take(List<J> batch, int max) {
        while (batch.size() < max && !queue.isEmpty()) {
            batch.add(queue.poll());
        }
    }

    private List<J> dropExpired(List<J> batch) {
        Instant now = Instant.now();
        long nanos = System.nanoTime();
        List<J> live = new ArrayList<>(batch.size());
        for (J job : batch) {
            metrics.queueWait(Duration.ofNanos(nanos - job.enqueuedAt()));
            if (job.deadline() != null && now.isAfter(job.deadline())) {
                job.fail(new VerifierException(StatusCode.DEADLINE_EXCEEDED,
                        "deadline passed while waiting " + Duration.ofNanos(nanos - job.enqueuedAt()).toMillis()
                                + " ms in the scoring queue"));
            } else {
                live.add(job);
            }
        }
        return live;
    }

    /** Stops the workers; jobs still queued fail with UNAVAILABLE. */
    @Override
    public void close() {
        open = false;
        for (Thread t : workers) {
            t.interrupt();
        }
        for (Thread t : workers) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<J> left;
        lock.lock();
        try {
            left = new ArrayList<>(queue);
            queue.clear();
        } finally {
            lock.unlock();
        }
        VerifierException closed = new VerifierException(StatusCode.UNAVAILABLE, "the verifier shut down");
        left.forEach(j -> j.fail(closed));
    }
}
