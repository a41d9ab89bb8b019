package io.ttsmesh.runtime;

/** Where ONNX Runtime runs a model. */
public enum ExecutionProvider {
    CPU,
    /** Needs the {@code onnxruntime_gpu} artifact (Maven profile {@code gpu}) and the CUDA 12 libraries. */
    CUDA;

    public static ExecutionProvider parse(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "cpu" -> CPU;
            case "cuda", "gpu" -> CUDA;
            default -> throw new IllegalArgumentException("unknown execution provider '" + name + "' (cpu or cuda)");
        };
    }
}
