package io.ttsmesh.generator.engine.decode;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * An immutable run of consecutive tokens' KV, linked to the segment before it. A branch's KV is the
 * chain from its tail segment back to the root (the prompt), so branches forked from one another share
 * their common history instead of copying it: a Start's prompt is stored once for all its branches, a
 * Fork costs one reference, and each step a branch takes adds one small segment.
 *
 * <p>Storage per KV tensor is {@code [kvHeads][length][headDim]} elements in the graph's precision, as raw
 * bytes (the row of one sequence in the Optimum layout), so moving a segment into or out of a dense batch
 * tensor is one bulk copy per head and tensor, whatever the precision. Reference-counted; engine thread only.
 */
public final class KvSegment {

    private final KvSegment parent;
    private final int start;
    private final int length;
    private final KvShape shape;
    private final KvLedger ledger;
    private byte[][] data;
    private int references = 1;

    private KvSegment(KvSegment parent, int start, int length, byte[][] data, KvShape shape, KvLedger ledger) {
        this.parent = parent;
        this.start = start;
        this.length = length;
        this.data = data;
        this.shape = shape;
        this.ledger = ledger;
        ledger.segmentAllocated(bytes());
    }

    /**
     * Copies tokens {@code [from, from + count)} of row {@code row} of a dense batch whose tensors are
     * {@code [rows, kvHeads, columns, headDim]} into a new segment after {@code parent} (which gains a
     * reference). The caller owns the returned segment's single reference.
     */
    public static KvSegment copyOf(KvSegment parent, ByteBuffer[] tensors, int row, int columns, int from, int count,
                                   KvShape shape, KvLedger ledger) {
        int heads = shape.kvHeads();
        int headBytes = shape.headDim() * shape.elementBytes();
        byte[][] data = new byte[shape.tensors()][heads * count * headBytes];
        for (int t = 0; t < tensors.length; t++) {
            for (int h = 0; h < heads; h++) {
                int src = ((row * heads + h) * columns + from) * headBytes;
                tensors[t].get(src, data[t], h * count * headBytes, count * headBytes);
            }
        }
        int start = parent == null ? 0 : parent.end();
        if (parent != null) {
            parent.retain();
        }
        return new KvSegment(parent, start, count, data, shape, ledger);
    }

    /** Absolute position of this segment's first token. */
    public int start() {
        return start;
    }

    public int length() {
        return length;
    }

    /** Absolute position after this segment's last token: the KV length of a branch ending here. */
    public int end() {
        return start + length;
    }

    public long bytes() {
        return length * shape.bytesPerToken();
    }

    public void retain() {
        if (references <= 0) {
            throw new IllegalStateException("KV segment already freed");
        }
        references++;
    }

    /** Drops one reference; the last one frees the storage and releases the parent. */
    public void release() {
        KvSegment segment = this;
        while (segment != null) {
            if (segment.references <= 0) {
                throw new IllegalStateException("KV segment released twice");
            }
            if (--segment.references > 0) {
                return;
            }
            segment.data = null;
            segment.ledger.segmentFreed(segment.bytes());
            segment = segment.parent;
        }
    }

    /**
     * Writes the whole chain ending at {@code tail} into row {@code row} of dense tensors
     * {@code [rows, kvHeads, columns, headDim]}, right-aligned at column {@code endColumn} (exclusive).
     */
    public static void gather(KvSegment tail, ByteBuffer[] tensors, int row, int columns, int endColumn, KvShape shape) {
        if (tail == null) {
            return;
        }
        int heads = shape.kvHeads();
        int headBytes = shape.headDim() * shape.elementBytes();
        int firstColumn = endColumn - tail.end();
        ArrayDeque<KvSegment> chain = new ArrayDeque<>();
        for (KvSegment s = tail; s != null; s = s.parent) {
            chain.push(s);
        }
        for (KvSegment s : chain) {
            for (int t = 0; t < tensors.length; t++) {
                byte[] src = s.data[t];
                for (int h = 0; h < heads; h++) {
                    int dst = ((row * heads + h) * columns + firstColumn + s.start) * headBytes;
                    tensors[t].put(dst, src, h * s.length * headBytes, s.length * headBytes);
                }
            }
        }
    }
}
