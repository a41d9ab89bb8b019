package io.ttsmesh.verifier.batching;

import java.time.Duration;

/**
 * How requests from many callers are gathered into model runs.
 *
 * @param maxSize most candidates per model run (1 turns micro-batching off)
 * @param maxWait longest the first candidate of a batch waits for companions (counted from its arrival,
 *                so a candidate that already queued behind a running batch does not wait again)
 * @param queueCapacity most candidates waiting; a call that does not fit fails with RESOURCE_EXHAUSTED
 * @param workers model runs in flight at once (each on its own thread)
 * @param maxPadding a gathered batch sorted by length is cut into sub-batches so that padding stays within
 *                   this fraction of the real tokens computed
 */
public record BatchSettings(int maxSize, Duration maxWait, int queueCapacity, int workers, double maxPadding) {

    public static final BatchSettings DEFAULTS = new BatchSettings(32, Duration.ofMillis(2), 4096, 1, 0.5);

    public BatchSettings {
        if (maxSize < 1 || queueCapacity < 1 || workers < 1) {
            throw new IllegalArgumentException("batch max-size, queue-capacity and workers must be >= 1 (got "
                    + maxSize + ", " + queueCapacity + ", " + workers + ")");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("batch max-wait must be >= 0, got " + maxWait);
        }
        if (maxPadding < 0) {
            throw new IllegalArgumentException("batch max-padding must be >= 0, got " + maxPadding);
        }
    }

    /** One candidate per model run, no waiting: the baseline micro-batching is measured against. */
    public BatchSettings unbatched() {
        return new BatchSettings(1, Duration.ZERO, queueCapacity, workers, maxPadding);
    }

    public BatchSettings withMaxSize(int size) {
        return new BatchSettings(size, maxWait, queueCapacity, workers, maxPadding);
    }

    public BatchSettings withMaxWait(Duration wait) {
        return new BatchSettings(maxSize, wait, queueCapacity, workers, maxPadding);
    }

    public BatchSettings withQueueCapacity(int capacity) {
        return new BatchSettings(maxSize, maxWait, capacity, workers, maxPadding);
    }
}
