package io.ttsmesh.generator.engine.decode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows decoded together, one token per row per {@link #step()}: continuous batching. Rows join and
 * leave between steps; every row is one sequence with one pending (sampled, not yet fed) token.
 *
 * <h2>KV layout</h2>
 * The graph wants one dense past tensor per layer and key/value, {@code [rows, kvHeads, columns, headDim]}, in its
 * own precision (float32 or float16: the buffers hold raw elements, copies never convert).
 * Rows are right-aligned: a row with {@code kv} cached tokens occupies columns {@code [columns - kv, columns)},
 * the columns left of it are masked out (attention_mask 0) and zero-filled, and its position ids are its own
 * (explicit), so rows of any length share one tensor.
 * <ul>
 *   <li><b>Fast path (batch unchanged):</b> the {@code present} ONNX Runtime wrote in the last step (into our
 *   pinned direct buffers) <em>is</em> the next step's {@code past}: no gather, no copy on our side. Two buffer
 *   sets alternate as past and present.</li>
 *   <li><b>A row leaves:</b> its new tokens (those generated since it joined) are copied out once into a
 *   {@link KvSegment}, then the last row is moved into its slot: one row copy
 *   ({@code kvHeads x columns x headDim} floats per tensor), not a rebuild.</li>
 *   <li><b>Rows join:</b> their segment chains are gathered into free rows at the end (zero-padded on the left);
 *   only when a joiner is longer than {@code columns}, the buffers are full, or padding has grown to a quarter
 *   of the width is the whole batch re-laid out (one copy of every row).</li>
 * </ul>
 * <b>Cost per generated token:</b> the graph itself concatenates past and the new token into present, so each
 * step writes {@code columns x kvBytesPerToken} bytes per row; that is inherent to the Optimum graph (it has no
 * in-place cache update). We add nothing on the fast path; a leaving row costs one copy of its row plus its new
 * tokens; a join costs a gather of the joiner's history.
 *
 * <p>Engine thread only.
 */
public final class DecodeBatch {

    /** One sequence in the batch. */
    public static final class Row {
        private final Object owner;
        private final KvSegment tail;
        private final int joinedKv;
        private int kv;
        private int pendingToken;
        private int index = -1;

        private Row(Object owner, KvSegment tail, int pendingToken) {
            this.owner = owner;
            this.tail = tail;
            this.joinedKv = tail == null ? 0 : tail.end();
            this.kv = joinedKv;
            this.pendingToken = pendingToken;
        }

        public Object owner() {
            return owner;
        }

        /** Tokens in this row's KV cache (the pending token not included). */
        public int kvLength() {
            return kv;
        }

        public int pendingToken() {
            return pendingToken;
        }

        /** Sets the token fed at the next step (the one just sampled). */
        public void feed(int token) {
            this.pendingToken = token;
        }

        boolean inBatch() {
            return index >= 0;
        }
    }

    private final DecoderModel model;
    private final KvShape shape;
    private final int vocab;
    private final List<Row> rows = new ArrayList<>();
    private final List<Row> joining = new ArrayList<>();
    private KvBuffers past;
    private KvBuffers spare;
    private int columns;
    private LongBuffer ids = longs(64);
    private LongBuffer positions = longs(64);
    private LongBuffer mask = longs(1024);
    private FloatBuffer logits;
    private long[] ones = new long[0];
    private long[] zeros = new long[0];
    private long steps;
    private long rebuilds;

    public DecodeBatch(DecoderModel model, KvLedger ledger) {
        this.model = model;
        this.shape = model.kvShape();
        this.vocab = model.vocabSize();
        this.past = new KvBuffers(shape, ledger);
        this.spare = new KvBuffers(shape, ledger);
        this.logits = floats(64L * vocab);
    }

    /**
     * Queues a sequence to join at the next step: its KV is the chain ending at {@code tail} (which must
     * stay referenced while the row is in the batch) and {@code pendingToken} is fed first.
     */
    public Row join(Object owner, KvSegment tail, int pendingToken) {
        Row row = new Row(owner, tail, pendingToken);
        joining.add(row);
        return row;
    }

    /**
     * Takes a row out. With {@code keepKv}, the tokens it cached since it joined are returned as a new
     * segment after its tail (the caller owns that reference); otherwise they are dropped and null is returned.
     */
    public KvSegment leave(Row row, boolean keepKv, KvLedger ledger) {
        if (!row.inBatch()) {
            joining.remove(row);
            return null;
        }
        KvSegment added = null;
        if (keepKv && row.kv > row.joinedKv) {
            added = KvSegment.copyOf(row.tail, past.tensors(), row.index, columns, columns - row.kv + row.joinedKv,
                    row.kv - row.joinedKv, shape, ledger);
        }
        Row last = rows.remove(rows.size() - 1);
        if (last != row) {
            int block = shape.kvHeads() * columns * shape.headDim() * shape.elementBytes();
            for (ByteBuffer tensor : past.tensors()) {
                tensor.put(row.index * block, tensor, last.index * block, block);
            }
            rows.set(row.index, last);
            last.index = row.index;
        }
        row.index = -1;
        if (rows.isEmpty() && joining.isEmpty()) {
            columns = 0;
        }
        return added;
    }

    public int size() {
        return rows.size() + joining.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** Rows in the batch and rows waiting to join at the next step. */
    public List<Row> members() {
        List<Row> all = new ArrayList<>(rows);
        all.addAll(joining);
        return all;
    }

    /** Rows in the batch, in row order (valid after {@link #step()} until the next join or leave). */
    public List<Row> rows() {
        return rows;
    }

    /** Width of the dense past (max KV length plus left padding). */
    public int columns() {
        return columns;
    }

    public long steps() {
        return steps;
    }

    public long rebuilds() {
        return rebuilds;
    }

    /** Feeds every row's pending token; afterwards {@link #logits(Row, float[])} holds each row's next-token logits. */
    public void step() {
        admitJoiners();
        int n = rows.size();
        if (n == 0) {
            return;
        }
        int total = columns + 1;
        ids = ensure(ids, n);
        positions = ensure(positions, n);
        mask = ensure(mask, (long) n * total);
        if (ones.length < total) {
            ones = new long[Math.max(total, 2 * ones.length)];
            Arrays.fill(ones, 1L);
        }
        if (zeros.length < columns) {
            zeros = new long[total];
        }
        for (int r = 0; r < n; r++) {
            Row row = rows.get(r);
            ids.put(r, row.pendingToken);
            positions.put(r, row.kv);
            int pad = columns - row.kv;
            int base = r * total;
            if (pad > 0) {
                mask.put(base, zeros, 0, pad);
            }
            mask.put(base + pad, ones, 0, total - pad);
        }
        spare.ensure((long) n * shape.kvHeads() * total * shape.headDim());
        if (logits.capacity() < (long) n * vocab) {
            logits = floats((long) n * vocab * 2);
        }
        model.run(n, 1, columns, ids, mask, positions, past.tensors(), spare.tensors(), logits);
        KvBuffers written = spare;
        spare = past;
        past = written;
        columns = total;
        for (Row row : rows) {
            row.kv++;
        }
        steps++;
    }

    /** Copies the next-token logits of {@code row} (computed by the last step) into {@code into}. */
    public void logits(Row row, float[] into) {
        logits.get(row.index * vocab, into, 0, vocab);
    }

    private void admitJoiners() {
        if (joining.isEmpty() && !tooMuchPadding()) {
            return;
        }
        int longest = 0;
        for (Row row : rows) {
            longest = Math.max(longest, row.kv);
        }
        for (Row row : joining) {
            longest = Math.max(longest, row.kv);
        }
        int n = rows.size() + joining.size();
        long block = (long) shape.kvHeads() * columns * shape.headDim();
        boolean fits = !rows.isEmpty() && longest <= columns && n * block <= past.capacity() && !tooMuchPadding();
        if (fits) {
            for (Row row : joining) {
                row.index = rows.size();
                rows.add(row);
                place(past, row);
            }
        } else {
            relayout(longest);
        }
        joining.clear();
    }

    private boolean tooMuchPadding() {
        if (rows.isEmpty()) {
            return false;
        }
        int longest = 0;
        for (Row row : rows) {
            longest = Math.max(longest, row.kv);
        }
        int padding = columns - longest;
        return padding > 32 && padding > columns / 4;
    }

    /** Lays every row (staying and joining) out afresh at width {@code newColumns}: one copy of each row. */
    private void relayout(int newColumns) {
        int n = rows.size() + joining.size();
        int heads = shape.kvHeads();
        int headDim = shape.headDim();
        int bytes = shape.elementBytes();
        spare.ensure((long) n * heads * newColumns * headDim);
        ByteBuffer[] from = past.tensors();
        ByteBuffer[] to = spare.tensors();
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int pad = newColumns - row.kv;
            for (int h = 0; h < heads; h++) {
                int dst = ((r * heads + h) * newColumns) * headDim;
                int src = ((row.index * heads + h) * columns + columns - row.kv) * headDim;
                spare.zero(dst, pad * headDim);
                for (int t = 0; t < to.length; t++) {
                    to[t].put((dst + pad * headDim) * bytes, from[t], src * bytes, row.kv * headDim * bytes);
                }
            }
            row.index = r;
        }
        KvBuffers previous = past;
        past = spare;
        spare = previous;
        columns = newColumns;
        for (Row row : joining) {
            row.index = rows.size();
            rows.add(row);
            place(past, row);
        }
        rebuilds++;
    }

    /** Writes a joining row's history into its slot of {@code buffers}: zero padding, then its segment chain. */
    private void place(KvBuffers buffers, Row row) {
        int heads = shape.kvHeads();
        int headDim = shape.headDim();
        int pad = columns - row.kv;
        for (int h = 0; h < heads; h++) {
            buffers.zero(((row.index * heads + h) * columns) * headDim, pad * headDim);
        }
        KvSegment.gather(row.tail, buffers.tensors(), row.index, columns, columns, shape);
    }

    private static LongBuffer ensure(LongBuffer buffer, long needed) {
        return buffer.capacity() >= needed ? buffer : longs(Math.max(needed, 2L * buffer.capacity()));
    }

    static LongBuffer longs(long count) {
        return ByteBuffer.allocateDirect(Math.toIntExact(count * Long.BYTES)).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    static FloatBuffer floats(long count) {
        return ByteBuffer.allocateDirect(Math.toIntExact(count * Float.BYTES)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
