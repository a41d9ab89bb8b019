package io.ttsmesh.generator.engine;

import io.ttsmesh.generator.engine.decode.Precision;
import io.ttsmesh.runtime.ExecutionProvider;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the engine runs and what it admits. Built with {@link #forModel(Path)}; every bound is enforced
 * with a RESOURCE_EXHAUSTED or INVALID_ARGUMENT answer.
 *
 * @param modelDir a decoder in the Optimum layout (config.json, tokenizer.json, model.onnx, generation_config.json)
 * @param graphFile the graph inside modelDir (null: model.onnx), e.g. Optimum's decoder_model_merged.onnx
 * @param dtype the KV precision the graph must have (null: whatever it declares)
 * @param modelId the model's name in Describe and OpenAI answers (null: the directory's name)
 * @param intraOpThreads ONNX Runtime threads per operator (0: ONNX Runtime decides)
 * @param stepDelimiter default step delimiter (null: config.json's {@code step_delimiter}, else "\n\n")
 * @param maxLiveBranches live branches in this engine over all sessions
 * @param maxBranchesPerSession live branches in one session
 * @param maxKvBytes KV bytes the branches may hold and reserve (the decode batch's working buffers come on top)
 * @param maxQueuedCommands commands waiting for the engine thread
 * @param maxPendingPrefills prompts, appends and probe cues waiting to be prefilled
 * @param maxBatchSize rows decoded together in one step (more branches wait for a slot)
 * @param maxStepTokens upper bound of an Extend's or a Probe's token quota
 * @param maxTopLogprobs upper bound of the alternatives reported per token
 * @param prefillChunkTokens tokens per prefill run (longer prompts run in chunks between decode steps)
 * @param instance this engine's instance name (pod name)
 */
public record EngineSettings(Path modelDir, String graphFile, Precision dtype, String modelId, ExecutionProvider executionProvider, int intraOpThreads,
                             String stepDelimiter, int maxLiveBranches, int maxBranchesPerSession, long maxKvBytes,
                             int maxQueuedCommands, int maxPendingPrefills, int maxBatchSize, int maxStepTokens,
                             int maxTopLogprobs, int prefillChunkTokens, String instance) {

    public EngineSettings {
        Objects.requireNonNull(modelDir, "modelDir");
        Objects.requireNonNull(executionProvider, "executionProvider");
        positive("maxLiveBranches", maxLiveBranches);
        positive("maxBranchesPerSession", maxBranchesPerSession);
        positive("maxKvBytes", maxKvBytes);
        positive("maxQueuedCommands", maxQueuedCommands);
        positive("maxPendingPrefills", maxPendingPrefills);
        positive("maxBatchSize", maxBatchSize);
        positive("maxStepTokens", maxStepTokens);
        positive("prefillChunkTokens", prefillChunkTokens);
        if (maxTopLogprobs < 0 || intraOpThreads < 0) {
            throw new IllegalArgumentException("maxTopLogprobs and intraOpThreads must be >= 0");
        }
        if (stepDelimiter != null && stepDelimiter.isEmpty()) {
            throw new IllegalArgumentException("stepDelimiter must not be empty (null: the model's default)");
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    /** Settings with defaults sized for a CPU pod serving a small model; adjust with the builder. */
    public static Builder forModel(Path modelDir) {
        return new Builder(modelDir);
    }

    public Builder toBuilder() {
        Builder b = new Builder(modelDir);
        b.graphFile = graphFile;
        b.dtype = dtype;
        b.modelId = modelId;
        b.executionProvider = executionProvider;
        b.intraOpThreads = intraOpThreads;
        b.stepDelimiter = stepDelimiter;
        b.maxLiveBranches = maxLiveBranches;
        b.maxBranchesPerSession = maxBranchesPerSession;
        b.maxKvBytes = maxKvBytes;
        b.maxQueuedCommands = maxQueuedCommands;
        b.maxPendingPrefills = maxPendingPrefills;
        b.maxBatchSize = maxBatchSize;
        b.maxStepTokens = maxStepTokens;
        b.maxTopLogprobs = maxTopLogprobs;
        b.prefillChunkTokens = prefillChunkTokens;
        b.instance = instance;
        return b;
    }

    /** Fluent construction; {@link #build()} validates. */
    public static final class Builder {
        private final Path modelDir;
        private String graphFile;
        private Precision dtype;
        private String modelId;
        private ExecutionProvider executionProvider = ExecutionProvider.CPU;
        private int intraOpThreads;
        private String stepDelimiter;
        private int maxLiveBranches = 1024;
        private int maxBranchesPerSession = 256;
        private long maxKvBytes = 1L << 30;
        private int maxQueuedCommands = 4096;
        private int maxPendingPrefills = 256;
        private int maxBatchSize = 256;
        private int maxStepTokens = 512;
        private int maxTopLogprobs = 20;
        private int prefillChunkTokens = 256;
        private String instance = "local";

        private Builder(Path modelDir) {
            this.modelDir = modelDir;
        }

        /** The graph file inside the model directory; null: model.onnx. */
        public Builder graphFile(String file) {
            this.graphFile = file;
            return this;
        }

        /** The KV precision the graph must have; null: whatever it declares. */
        public Builder dtype(Precision precision) {
            this.dtype = precision;
            return this;
        }

        public Builder modelId(String id) {
            this.modelId = id;
            return this;
        }

        public Builder executionProvider(ExecutionProvider provider) {
            this.executionProvider = provider;
            return this;
        }

        public Builder intraOpThreads(int threads) {
            this.intraOpThreads = threads;
            return this;
        }

        public Builder stepDelimiter(String delimiter) {
            this.stepDelimiter = delimiter;
            return this;
        }

        public Builder maxLiveBranches(int max) {
            this.maxLiveBranches = max;
            return this;
        }

        public Builder maxBranchesPerSession(int max) {
            this.maxBranchesPerSession = max;
            return this;
        }

        public Builder maxKvBytes(long max) {
            this.maxKvBytes = max;
            return this;
        }

        public Builder maxQueuedCommands(int max) {
            this.maxQueuedCommands = max;
            return this;
        }

        public Builder maxPendingPrefills(int max) {
            this.maxPendingPrefills = max;
            return this;
        }

        public Builder maxBatchSize(int max) {
            this.maxBatchSize = max;
            return this;
        }

        public Builder maxStepTokens(int max) {
            this.maxStepTokens = max;
            return this;
        }

        public Builder maxTopLogprobs(int max) {
            this.maxTopLogprobs = max;
            return this;
        }

        public Builder prefillChunkTokens(int tokens) {
            this.prefillChunkTokens = tokens;
            return this;
        }

        public Builder instance(String name) {
            this.instance = name;
            return this;
        }

        public EngineSettings build() {
            return new EngineSettings(modelDir, graphFile, dtype, modelId, executionProvider, intraOpThreads, stepDelimiter,
                    maxLiveBranches, maxBranchesPerSession, maxKvBytes, maxQueuedCommands, maxPendingPrefills,
                    maxBatchSize, maxStepTokens, maxTopLogprobs, prefillChunkTokens, instance);
        }
    }
}
