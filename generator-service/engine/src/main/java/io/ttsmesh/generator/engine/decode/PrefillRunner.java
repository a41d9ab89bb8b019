package io.ttsmesh.generator.engine.decode;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;

/**
 * Feeds known tokens (a prompt, appended text, a probe's cue) after a sequence's cached history, in
 * chunks, so that a long prompt can be interleaved with decode steps instead of stalling them. One
 * prefill is in progress at a time; its intermediate KV stays in this runner's dense buffers between
 * chunks and becomes one {@link KvSegment} when the last chunk is done.
 *
 * <p>Engine thread only.
 */
public final class PrefillRunner {

    private final DecoderModel model;
    private final KvShape shape;
    private final KvLedger ledger;
    private final int chunkTokens;
    private KvBuffers past;
    private KvBuffers spare;
    private LongBuffer ids = DecodeBatch.longs(256);
    private LongBuffer positions = DecodeBatch.longs(256);
    private LongBuffer mask = DecodeBatch.longs(1024);
    private FloatBuffer logits;
    private Prefill active;

    public PrefillRunner(DecoderModel model, KvLedger ledger, int chunkTokens) {
        if (chunkTokens < 1) {
            throw new IllegalArgumentException("prefill chunk must be at least 1 token");
        }
        this.model = model;
        this.shape = model.kvShape();
        this.ledger = ledger;
        this.chunkTokens = chunkTokens;
        this.past = new KvBuffers(shape, ledger);
        this.spare = new KvBuffers(shape, ledger);
        this.logits = DecodeBatch.floats((long) chunkTokens * model.vocabSize());
    }

    /**
     * Starts feeding {@code tokens} after the chain ending at {@code tail} (null: an empty history). The
     * tail must stay referenced until the prefill is done or abandoned.
     */
    public Prefill begin(KvSegment tail, int[] tokens) {
        if (active != null && !active.finished) {
            throw new IllegalStateException("a prefill is already in progress");
        }
        if (tokens.length == 0) {
            throw new IllegalArgumentException("nothing to prefill");
        }
        active = new Prefill(tail, tokens);
        return active;
    }

    /**
     * Frees the dense buffers when nothing is being prefilled and they have grown past {@code keepBytes}
     * (they are sized by the longest history prefilled; small ones are kept for the next prefill).
     */
    public void trim(long keepBytes) {
        long held = past.bytes() + spare.bytes();
        if ((active == null || active.finished) && held > keepBytes) {
            past.release();
            spare.release();
        }
    }

    /** A prefill in progress. */
    public final class Prefill {
        private final KvSegment tail;
        private final int[] tokens;
        private final int history;
        private int done;
        private boolean finished;
        private float[] lastLogits;

        private Prefill(KvSegment tail, int[] tokens) {
            this.tail = tail;
            this.tokens = tokens;
            this.history = tail == null ? 0 : tail.end();
        }

        public int remaining() {
            return tokens.length - done;
        }

        public boolean isDone() {
            return done == tokens.length;
        }

        /** Feeds up to {@code budget} more tokens (at least one, at most one chunk); returns how many. */
        public int advance(int budget) {
            if (finished || isDone()) {
                throw new IllegalStateException("prefill already complete");
            }
            int heads = shape.kvHeads();
            int headDim = shape.headDim();
            if (done == 0) {
                past.ensure((long) heads * history * headDim);
                KvSegment.gather(tail, past.tensors(), 0, history, history, shape);
            }
            int count = Math.max(1, Math.min(Math.min(budget, chunkTokens), remaining()));
            int cached = history + done;
            int total = cached + count;
            ids = ensure(ids, count);
            positions = ensure(positions, count);
            mask = ensure(mask, total);
            for (int i = 0; i < count; i++) {
                ids.put(i, tokens[done + i]);
                positions.put(i, cached + i);
            }
            for (int i = 0; i < total; i++) {
                mask.put(i, 1L);
            }
            spare.ensure((long) heads * total * headDim);
            model.run(1, count, cached, ids, mask, positions, past.tensors(), spare.tensors(), logits);
            KvBuffers written = spare;
            spare = past;
            past = written;
            done += count;
            if (isDone()) {
                int vocab = model.vocabSize();
                lastLogits = new float[vocab];
                logits.get((count - 1) * vocab, lastLogits, 0, vocab);
            }
            return count;
        }

        /**
         * The fed tokens' KV as a new segment after the tail (the caller owns the reference), and
         * the logits predicting the token after the last one.
         */
        public KvSegment segment() {
            if (!isDone()) {
                throw new IllegalStateException("prefill not complete");
            }
            finished = true;
            int columns = history + tokens.length;
            return KvSegment.copyOf(tail, past.tensors(), 0, columns, history, tokens.length, shape, ledger);
        }

        public float[] lastLogits() {
            return lastLogits;
        }

        /** Gives up (the sequence was cancelled); nothing is kept. */
        public void abandon() {
            finished = true;
        }
    }

    private static LongBuffer ensure(LongBuffer buffer, int needed) {
        return buffer.capacity() >= needed ? buffer : DecodeBatch.longs(Math.max(needed, 2L * buffer.capacity()));
    }
}
