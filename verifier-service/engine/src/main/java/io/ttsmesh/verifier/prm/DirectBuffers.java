package io.ttsmesh.verifier.prm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Direct float buffers one thread reuses from model run to model run: ONNX Runtime reads inputs from and
 * writes pinned outputs into them in place, so the KV past and present of a batch are neither copied
 * into fresh native memory nor out of it again. Allocating a few megabytes of direct memory per run, and
 * copying every output, cost about as much as the model itself on short new chunks. What one thread keeps
 * is bounded by {@code retainBytes}; a larger request gets a buffer of its own that is not kept.
 */
final class DirectBuffers {

    private final FloatBuffer[] slots;
    private final long retainBytes;

    DirectBuffers(int slots, long retainBytes) {
        this.slots = new FloatBuffer[slots];
        this.retainBytes = retainBytes;
    }

    /** A buffer of exactly {@code floats} elements (position 0, limit floats); contents undefined. */
    FloatBuffer get(int slot, int floats) {
        FloatBuffer b = slots[slot];
        if (b == null || b.capacity() < floats) {
            int capacity = Math.max(floats, b == null ? 0 : Math.min(Integer.MAX_VALUE / 2, b.capacity() * 2));
            if (retained(slot, capacity) > retainBytes) {
                return allocate(floats);
            }
            b = allocate(capacity);
            slots[slot] = b;
        }
        return b.clear().limit(floats).slice();
    }

    private long retained(int slot, int capacity) {
        long bytes = (long) capacity * Float.BYTES;
        for (int i = 0; i < slots.length; i++) {
            if (i != slot && slots[i] != null) {
                bytes += (long) slots[i].capacity() * Float.BYTES;
            }
        }
        return bytes;
    }

    private static FloatBuffer allocate(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
