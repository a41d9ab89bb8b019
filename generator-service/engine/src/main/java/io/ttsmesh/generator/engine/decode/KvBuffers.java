package io.ttsmesh.generator.engine.decode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * One set of dense KV tensors ({@code [rows, kvHeads, columns, headDim]} per key/value of every layer)
 * in direct memory that ONNX Runtime reads and writes in place. Grows with headroom and never shrinks,
 * so a steady decode loop allocates nothing; its size is reported to the {@link KvLedger}.
 */
final class KvBuffers {

    private static final float[] ZEROS = new float[4096];
    private static final FloatBuffer EMPTY = ByteBuffer.allocateDirect(0).asFloatBuffer();

    private final KvLedger ledger;
    private final FloatBuffer[] tensors;
    private int capacityFloats;

    KvBuffers(int tensorCount, KvLedger ledger) {
        this.ledger = ledger;
        this.tensors = new FloatBuffer[tensorCount];
        for (int t = 0; t < tensorCount; t++) {
            tensors[t] = EMPTY;
        }
    }

    FloatBuffer[] tensors() {
        return tensors;
    }

    /** Makes room for {@code floats} per tensor; contents are lost when the buffers have to grow. */
    void ensure(long floats) {
        if (floats <= capacityFloats) {
            return;
        }
        long wanted = Math.max(floats + floats / 4, 1024);
        if (wanted > Integer.MAX_VALUE / Float.BYTES) {
            wanted = floats;
        }
        if (wanted > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalStateException("a dense KV tensor of " + floats + " floats exceeds a direct buffer's 2 GiB");
        }
        int newCapacity = (int) wanted;
        for (int t = 0; t < tensors.length; t++) {
            tensors[t] = ByteBuffer.allocateDirect(newCapacity * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        ledger.batchBuffers((long) (newCapacity - capacityFloats) * Float.BYTES * tensors.length);
        capacityFloats = newCapacity;
    }

    int capacityFloats() {
        return capacityFloats;
    }

    /** Gives the memory back (the next {@link #ensure} allocates again). */
    void release() {
        for (int t = 0; t < tensors.length; t++) {
            tensors[t] = EMPTY;
        }
        ledger.batchBuffers(-(long) capacityFloats * Float.BYTES * tensors.length);
        capacityFloats = 0;
    }

    /** Zeroes {@code count} floats at {@code index} of every tensor (masked padding must hold finite values). */
    void zero(int index, int count) {
        for (FloatBuffer tensor : tensors) {
            for (int done = 0; done < count; done += ZEROS.length) {
                tensor.put(index + done, ZEROS, 0, Math.min(ZEROS.length, count - done));
            }
        }
    }
}
