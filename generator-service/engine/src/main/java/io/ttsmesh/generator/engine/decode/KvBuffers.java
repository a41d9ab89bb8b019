package io.ttsmesh.generator.engine.decode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One set of dense KV tensors ({@code [rows, kvHeads, columns, headDim]} per key/value of every layer)
 * in direct memory that ONNX Runtime reads and writes in place, in the graph's precision (sizes and indexes
 * here are in elements). Grows with headroom and never shrinks, so a steady decode loop allocates nothing;
 * its size is reported to the {@link KvLedger}.
 */
final class KvBuffers {

    private static final byte[] ZEROS = new byte[16384];
    private static final ByteBuffer EMPTY = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder());

    private final KvLedger ledger;
    private final ByteBuffer[] tensors;
    private final int elementBytes;
    private int capacity;

    KvBuffers(KvShape shape, KvLedger ledger) {
        this.ledger = ledger;
        this.elementBytes = shape.elementBytes();
        this.tensors = new ByteBuffer[shape.tensors()];
        for (int t = 0; t < tensors.length; t++) {
            tensors[t] = EMPTY;
        }
    }

    ByteBuffer[] tensors() {
        return tensors;
    }

    /** Makes room for {@code elements} per tensor; contents are lost when the buffers have to grow. */
    void ensure(long elements) {
        if (elements <= capacity) {
            return;
        }
        long limit = Integer.MAX_VALUE / elementBytes;
        long wanted = Math.max(elements + elements / 4, 1024);
        if (wanted > limit) {
            wanted = elements;
        }
        if (wanted > limit) {
            throw new IllegalStateException("a dense KV tensor of " + elements + " elements exceeds a direct buffer's 2 GiB");
        }
        int newCapacity = (int) wanted;
        for (int t = 0; t < tensors.length; t++) {
            tensors[t] = ByteBuffer.allocateDirect(newCapacity * elementBytes).order(ByteOrder.nativeOrder());
        }
        ledger.batchBuffers((long) (newCapacity - capacity) * elementBytes * tensors.length);
        capacity = newCapacity;
    }

    /** Capacity per tensor, in elements. */
    int capacity() {
        return capacity;
    }

    /** Bytes held over all tensors. */
    long bytes() {
        return (long) capacity * elementBytes * tensors.length;
    }

    /** Gives the memory back (the next {@link #ensure} allocates again). */
    void release() {
        for (int t = 0; t < tensors.length; t++) {
            tensors[t] = EMPTY;
        }
        ledger.batchBuffers(-bytes());
        capacity = 0;
    }

    /** Zeroes {@code count} elements at element {@code index} of every tensor (masked padding must hold finite values). */
    void zero(int index, int count) {
        int at = index * elementBytes;
        int n = count * elementBytes;
        for (ByteBuffer tensor : tensors) {
            for (int done = 0; done < n; done += ZEROS.length) {
                tensor.put(at + done, ZEROS, 0, Math.min(ZEROS.length, n - done));
            }
        }
    }
}
