package io.ttsmesh.generator.pod;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The generator pod's configuration (documented with its defaults in application.properties). */
@ConfigMapping(prefix = "tts.generator")
public interface GeneratorConfig {

    /** Decoder directory in the Optimum layout. */
    @WithDefault("models/generator")
    Path modelDir();

    /** The ONNX graph inside the model directory (model.onnx, decoder_model_merged.onnx, ...). */
    @WithDefault("model.onnx")
    String graphFile();

    /** The graph's KV precision: auto (what the graph declares), float32 or float16; checked at start. */
    @WithDefault("auto")
    String dtype();

    /** Model name in Describe and OpenAI answers; default: the directory's name. */
    Optional<String> modelId();

    /** cpu or cuda (cuda needs the build's gpu profile and the CUDA 12 libraries). */
    @WithDefault("cpu")
    String executionProvider();

    /** ONNX Runtime threads per operator; 0 lets ONNX Runtime decide. */
    @WithDefault("0")
    int intraOpThreads();

    /** Default step delimiter; default: config.json's step_delimiter, else a blank line. */
    Optional<String> stepDelimiter();

    /** This pod's name in Describe (affinity, monitoring). */
    @WithDefault("${HOSTNAME:local}")
    String instance();

    @WithDefault("1024")
    int maxLiveBranches();

    @WithDefault("256")
    int maxBranchesPerSession();

    @WithDefault("1G")
    MemorySize maxKvBytes();

    @WithDefault("4096")
    int maxQueuedCommands();

    @WithDefault("256")
    int maxPendingPrefills();

    @WithDefault("256")
    int maxBatchSize();

    @WithDefault("512")
    int maxStepTokens();

    @WithDefault("20")
    int maxTopLogprobs();

    @WithDefault("256")
    int prefillChunkTokens();

    OpenAi openai();

    interface OpenAi {
        /** Longest a /v1/completions request may take before it is cut off. */
        @WithDefault("5m")
        Duration timeout();

        /** Stop strings of the model added to every OpenAI request's own (e.g. a turn marker that is not a token). */
        Optional<java.util.List<String>> stop();
    }
}
