package io.ttsmesh.generator.engine.decode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** One full pass of a decoder over a token sequence (positions 0..n-1, no past), for parity tests. */
public final class DecodeBatchAccess {

    private DecodeBatchAccess() {
    }

    /** The logits at every position, {@code [n][vocab]}. */
    public static float[][] fullPass(DecoderModel model, int[] tokens) {
        int n = tokens.length;
        int vocab = model.vocabSize();
        KvShape shape = model.kvShape();
        var ids = DecodeBatch.longs(n);
        var mask = DecodeBatch.longs(n);
        var positions = DecodeBatch.longs(n);
        for (int i = 0; i < n; i++) {
            ids.put(i, tokens[i]);
            mask.put(i, 1);
            positions.put(i, i);
        }
        ByteBuffer[] past = new ByteBuffer[shape.tensors()];
        ByteBuffer[] present = new ByteBuffer[shape.tensors()];
        for (int t = 0; t < shape.tensors(); t++) {
            past[t] = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder());
            present[t] = ByteBuffer.allocateDirect(n * shape.elementsPerTokenPerTensor() * shape.elementBytes())
                    .order(ByteOrder.nativeOrder());
        }
        FloatBuffer logits = DecodeBatch.floats((long) n * vocab);
        model.run(1, n, 0, ids, mask, positions, past, present, logits);
        float[][] out = new float[n][vocab];
        for (int i = 0; i < n; i++) {
            logits.get(i * vocab, out[i], 0, vocab);
        }
        return out;
    }
}
