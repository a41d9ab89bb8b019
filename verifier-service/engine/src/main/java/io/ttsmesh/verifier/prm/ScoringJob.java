package io.ttsmesh.verifier.prm;

import io.ttsmesh.verifier.VerifierException;
import io.ttsmesh.verifier.batching.BatchJob;
import io.ttsmesh.verifier.prefix.PrefixState;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** One candidate waiting for the PRM: its tokens, the hashes of its step-boundary prefixes, and its answer. */
final class ScoringJob implements BatchJob {

    final EncodedCandidate candidate;
    /** per boundary j (0 = question), the hash of the prefix through it (0 where no boundary) */
    final long[] prefixHashes;
    final CompletableFuture<float[]> scores = new CompletableFuture<>();
    private final Instant deadline;
    private long enqueuedAt;

    /** the step boundary the model run starts at, and the cached state there (null: from scratch) */
    int startStep;
    PrefixState past;

    ScoringJob(EncodedCandidate candidate, long[] prefixHashes, Instant deadline) {
        this.candidate = candidate;
        this.prefixHashes = prefixHashes;
        this.deadline = deadline;
    }

    int from() {
        return past == null ? 0 : past.length();
    }

    int to() {
        return candidate.tokens().length;
    }

    int newTokens() {
        return to() - from();
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public void enqueuedAt(long nanos) {
        enqueuedAt = nanos;
    }

    @Override
    public long enqueuedAt() {
        return enqueuedAt;
    }

    @Override
    public void fail(VerifierException error) {
        scores.completeExceptionally(error);
    }
}
