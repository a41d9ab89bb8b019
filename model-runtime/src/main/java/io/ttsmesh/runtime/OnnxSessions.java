package io.ttsmesh.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens ONNX Runtime sessions with the configured execution provider and thread counts. */
public final class OnnxSessions {

    private OnnxSessions() {
    }

    /**
     * Opens {@code model} for inference. With {@link ExecutionProvider#CUDA} the CUDA provider must be
     * available: when it is not (CPU-only artifact on the class path, no CUDA libraries, no GPU) this
     * fails at once with a message saying so, instead of silently running on the CPU.
     *
     * @param intraOpThreads threads one operator may use; 0 lets ONNX Runtime decide
     */
    public static OrtSession open(Path model, ExecutionProvider provider, int intraOpThreads) {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("model file not found: " + model.toAbsolutePath());
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            if (provider == ExecutionProvider.CUDA) {
                enableCuda(options);
            }
            return env.createSession(model.toString(), options);
        } catch (OrtException e) {
            String hint = e.getMessage() != null && e.getMessage().contains("Could not find an implementation")
                    ? " (ONNX Runtime's " + provider.name().toLowerCase(java.util.Locale.ROOT) + " build has no kernel "
                    + "for an operator of this graph at its element type; float16 graphs need the GPU: Maven profile "
                    + "gpu and execution-provider=cuda, or export in float32)" : "";
            throw new IllegalStateException("ONNX Runtime could not open " + model + hint + ": " + e.getMessage(), e);
        }
    }

    private static void enableCuda(OrtSession.SessionOptions options) {
        try {
            options.addCUDA(0);
        } catch (OrtException | UnsatisfiedLinkError | IllegalArgumentException e) {
            throw new IllegalStateException("execution provider 'cuda' was requested but ONNX Runtime's CUDA provider "
                    + "is not available (" + e.getMessage() + "). Build with the Maven profile 'gpu' "
                    + "(onnxruntime_gpu), install the CUDA 12 libraries, or set the provider to 'cpu'.", e);
        }
    }
}
