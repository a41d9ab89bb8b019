package io.ttsmesh.verifier.service;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The verifier service's settings; documented with their defaults in application.properties. */
@ConfigMapping(prefix = "tts.verifier")
public interface VerifierConfig {

    /** The task the PRM (and with it orm and confidence) was trained for; rules and oracle serve every task. */
    @WithDefault("arithmetic")
    String task();

    /** The stacks Describe lists; requests may name any stack of known verifiers. */
    @WithDefault("rules+prm,rules+orm")
    List<String> stacks();

    Model model();

    Batch batch();

    Cache cache();

    Limits limits();

    /** Deadline for a call whose client set none. */
    @WithDefault("30s")
    Duration defaultDeadline();

    /** This pod's name in Describe; the host name when unset. */
    Optional<String> instance();

    interface Model {
        /** PRM directory in the Optimum layout. */
        Path dir();

        /** The PRM graph inside {@link #dir()} (e.g. model_fp16.onnx); unset: model.onnx. */
        Optional<String> graphFile();

        /** A built-in scoring convention (tts-testbed-prm, qwen2.5-math-prm, math-shepherd) or a .properties path. */
        @WithDefault("tts-testbed-prm")
        String convention();

        /** cpu or cuda. */
        @WithDefault("cpu")
        String executionProvider();

        /** Threads per ONNX Runtime operator; 0 lets ONNX Runtime decide. */
        @WithDefault("0")
        int intraOpThreads();

        /** Longest candidate in tokens; 0 = the model's context. */
        @WithDefault("0")
        int maxTokens();
    }

    interface Batch {
        @WithDefault("32")
        int maxSize();

        @WithDefault("2ms")
        Duration maxWait();

        @WithDefault("4096")
        int queueCapacity();

        @WithDefault("1")
        int workers();

        @WithDefault("0.5")
        double maxPadding();

        @WithDefault("512")
        int maxTokens();
    }

    interface Cache {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("256M")
        MemorySize maxBytes();
    }

    interface Limits {
        @WithDefault("256")
        int maxCandidates();

        @WithDefault("64")
        int maxSteps();
    }
}
