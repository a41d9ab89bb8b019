package io.ttsmesh.verifier.batching;

import io.ttsmesh.verifier.VerifierException;

import java.time.Instant;

/** One unit of work in a {@link MicroBatcher}: a candidate waiting for a model run. */
public interface BatchJob {

    /** When the caller stops waiting; a job still queued then is failed instead of run. */
    Instant deadline();

    /** Stamped by the batcher on submission ({@link System#nanoTime()}). */
    void enqueuedAt(long nanos);

    long enqueuedAt();

    /** Completes the job with an error (deadline passed, batcher closed, model failure). */
    void fail(VerifierException error);
}
