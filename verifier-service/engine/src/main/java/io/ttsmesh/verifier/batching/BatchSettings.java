package io.ttsmesh.verifier.batching;

import java.time.Duration;

/**
 * How requests from many callers are gathered into model runs.
 *
 * @param maxSize most candidates per model run (1 turns micro-batching off)
 * @param maxWait longest the first candidate of a batch waits for companions (counted from its arrival,
 *                so a candidate that already queued behind a running batch does not wait again); it waits only
 *                while calls arrive closer together than this on average
 * @param queueCapacity most candidates waiting; a call that does not fit fails with RESOURCE_EXHAUSTED
 * @param workers model runs in flight at once (each on its own thread)
 * @param maxPadding a gathered batch sorted by length is cut into sub-batches so that padding stays within
 *                   this fraction of the real tokens computed
 * @param maxTokens most tokens (padding included) one model run computes, 0 for no bound. On a CPU a few
 *                  hundred keep a run's activations in cache; measured on the bundled PRM, 8 whole candidates
 *                  (~500 tokens) per run cost less per candidate than 32 or 64. A longer candidate runs alone.
 */
public record BatchSettings(int maxSize, Duration maxWait, int queueCapacity, int workers, double maxPadding,
                            int maxTokens) {

    public static final BatchSettings DEFAULTS = new BatchSettings(32, Duration.ofMillis(2), 4096, 1, 0.5, 0);

    public BatchSettings {
        if (maxSize < 1 || queueCapacity < 1 || workers < 1) {
            throw new IllegalArgumentException("batch max-size, queue-capacity and workers must be >= 1 (got "
                    + maxSize + ", " + queueCapacity + ", " + workers + ")");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("batch max-wait must be >= 0, got " + maxWait);
        }
        if (maxPadding < 0 || maxTokens < 0) {
            throw new IllegalArgumentException("batch max-padding and max-tokens must be >= 0, got " + maxPadding
                    + ", " + maxTokens);
        }
    }

    /** One candidate per model run, no waiting: the baseline micro-batching is measured against. */
    public BatchSettings unbatched() {
        return new BatchSettings(1, Duration.ZERO, queueCapacity, workers, maxPadding, maxTokens);
    }

    public BatchSettings withMaxSize(int size) {
        return new BatchSettings(size, maxWait, queueCapacity, workers, maxPadding, maxTokens);
    }

    public BatchSettings withMaxWait(Duration wait) {
        return new BatchSettings(maxSize, wait, queueCapacity, workers, maxPadding, maxTokens);
    }

    public BatchSettings withMaxTokens(int tokens) {
        return new BatchSettings(maxSize, maxWait, queueCapacity, workers, maxPadding, tokens);
    }

    public BatchSettings withQueueCapacity(int capacity) {
        return new BatchSettings(maxSize, maxWait, capacity, workers, maxPadding, maxTokens);
    }
}
