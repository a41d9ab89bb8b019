package io.ttsmesh.generator.engine.decode;

import io.ttsmesh.runtime.ModelConfig;

/**
 * Dimensions of a decoder's KV cache in the Optimum layout: per layer one key and one value tensor of
 * shape {@code [batch, kvHeads, tokens, headDim]} in the graph's {@link Precision}. Tensor {@code 2*layer} is
 * the key of {@code layer}, {@code 2*layer+1} its value.
 */
public record KvShape(int layers, int kvHeads, int headDim, Precision precision) {

    public static KvShape of(ModelConfig config, Precision precision) {
        return new KvShape(config.layers(), config.kvHeads(), config.headDim(), precision);
    }

    /** Number of KV tensors (a key and a value per layer). */
    public int tensors() {
        return 2 * layers;
    }

    /** Elements one token occupies in one KV tensor (all heads). */
    public int elementsPerTokenPerTensor() {
        return kvHeads * headDim;
    }

    /** Bytes of one element. */
    public int elementBytes() {
        return precision.bytes();
    }

    /** Bytes of KV one token costs over all layers, keys and values. */
    public long bytesPerToken() {
        return (long) tensors() * elementsPerTokenPerTensor() * elementBytes();
    }
}
