package io.ttsmesh.generator.engine.decode;

import io.ttsmesh.runtime.ModelConfig;

/**
 * Dimensions of a decoder's KV cache in the Optimum layout: per layer one key and one value tensor of
 * shape {@code [batch, kvHeads, tokens, headDim]}, float32. Tensor {@code 2*layer} is the key of
 * {@code layer}, {@code 2*layer+1} its value.
 */
public record KvShape(int layers, int kvHeads, int headDim) {

    public static KvShape of(ModelConfig config) {
        return new KvShape(config.layers(), config.kvHeads(), config.headDim());
    }

    /** Number of KV tensors (a key and a value per layer). */
    public int tensors() {
        return 2 * layers;
    }

    /** Floats one token occupies in one KV tensor (all heads). */
    public int floatsPerTokenPerTensor() {
        return kvHeads * headDim;
    }

    /** Bytes of KV one token costs over all layers, keys and values. */
    public long bytesPerToken() {
        return (long) tensors() * floatsPerTokenPerTensor() * Float.BYTES;
    }
}
