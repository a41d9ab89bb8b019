package io.ttsmesh.generator.engine.decode;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the bytes of KV cache this pod holds: {@link KvSegment}s (the stored, shared history of every
 * branch), the dense buffers of the running batches, and what work in flight has reserved. Admission
 * ({@link #tryReserve}) bounds stored plus reserved bytes. Written by the engine thread, read by metrics.
 */
public final class KvLedger {

    private final long limitBytes;
    private final AtomicLong storedBytes = new AtomicLong();
    private final AtomicLong batchBytes = new AtomicLong();
    private final AtomicLong reservedBytes = new AtomicLong();

    public KvLedger(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    void segmentAllocated(long bytes) {
        storedBytes.addAndGet(bytes);
    }

    void segmentFreed(long bytes) {
        storedBytes.addAndGet(-bytes);
    }

    void batchBuffers(long deltaBytes) {
        batchBytes.addAndGet(deltaBytes);
    }

    public long storedBytes() {
        return storedBytes.get();
    }

    public long batchBytes() {
        return batchBytes.get();
    }

    public long totalBytes() {
        return storedBytes.get() + batchBytes.get();
    }

    public long limitBytes() {
        return limitBytes;
    }

    /** Bytes promised to work in flight (a prompt being prefilled, a step's quota) but not stored yet. */
    public long reservedBytes() {
        return reservedBytes.get();
    }

    /**
     * Promises {@code bytes} to work about to start if stored plus promised bytes stay within the limit
     * (the decode batch's working buffers are not counted: they are reused, not per branch).
     */
    public boolean tryReserve(long bytes) {
        if (storedBytes.get() + reservedBytes.get() + bytes > limitBytes) {
            return false;
        }
        reservedBytes.addAndGet(bytes);
        return true;
    }

    public void unreserve(long bytes) {
        reservedBytes.addAndGet(-bytes);
    }
}
