package io.ttsmesh.generator.engine.decode;

import ai.onnxruntime.OnnxJavaType;

import java.util.Locale;

/**
 * The element type of a decoder graph's KV tensors: what the graph declares. The cache is kept in it (a float16
 * graph's KV is stored, batched and forked as float16, half the bytes of float32), never converted.
 */
public enum Precision {
    FLOAT32(OnnxJavaType.FLOAT, 4),
    FLOAT16(OnnxJavaType.FLOAT16, 2);

    private final OnnxJavaType onnxType;
    private final int bytes;

    Precision(OnnxJavaType onnxType, int bytes) {
        this.onnxType = onnxType;
        this.bytes = bytes;
    }

    public OnnxJavaType onnxType() {
        return onnxType;
    }

    /** Bytes of one element. */
    public int bytes() {
        return bytes;
    }

    /** The precision of a graph tensor of this type, or null when the type is neither float32 nor float16. */
    static Precision of(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> FLOAT32;
            case FLOAT16 -> FLOAT16;
            default -> null;
        };
    }

    /**
     * A configured dtype: float32/fp32 or float16/fp16; null, blank or auto mean "whatever the graph declares"
     * (returns null).
     */
    public static Precision parse(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> null;
            case "float32", "fp32" -> FLOAT32;
            case "float16", "fp16" -> FLOAT16;
            default -> throw new IllegalArgumentException("dtype '" + name + "' is unknown (auto, float32 or float16)");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
