package io.ttsmesh.generator.engine;

import io.ttsmesh.generator.engine.decode.DecoderModel;
import io.ttsmesh.generator.engine.decode.GenerationDefaults;
import io.ttsmesh.generator.engine.decode.Precision;
import io.ttsmesh.generator.engine.scheduling.EngineLoop;
import io.ttsmesh.runtime.ModelConfig;
import io.ttsmesh.runtime.ModelDirectory;
import io.ttsmesh.runtime.TextTokenizer;

import java.util.Locale;
import java.util.Objects;

/**
 * The generator engine: a decoder in the Optimum layout run by ONNX Runtime, one decode loop that
 * batches every live branch of every session, and sessions that drive branches step by step. Plain
 * Java: the gRPC service, the OpenAI endpoint and library mode are thin adapters over it.
 */
public final class GeneratorEngine implements AutoCloseable {

    private final EngineSettings settings;
    private final ModelDirectory directory;
    private final TextTokenizer tokenizer;
    private final DecoderModel model;
    private final GenerationDefaults defaults;
    private final String stepDelimiter;
    private final EngineLoop loop;
    private final Thread thread;

    private GeneratorEngine(EngineSettings settings, EngineObserver observer) {
        this.settings = settings;
        this.directory = ModelDirectory.open(settings.modelDir(), settings.graphFile());
        this.model = DecoderModel.open(directory, settings.executionProvider(), settings.intraOpThreads(), settings.dtype());
        this.tokenizer = directory.loadTokenizer();
        ModelConfig config = directory.config();
        this.defaults = GenerationDefaults.read(directory.generationConfigFile(), config);
        this.stepDelimiter = settings.stepDelimiter() != null ? settings.stepDelimiter()
                : config.raw().hasNonNull("step_delimiter") && !config.raw().get("step_delimiter").asText().isEmpty()
                ? config.raw().get("step_delimiter").asText() : "\n\n";
        this.loop = new EngineLoop(settings, model, tokenizer, defaults, stepDelimiter, observer);
        this.thread = new Thread(loop, "generator-decode-loop");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Loads the model and starts the decode loop. Fails at once, with a message saying why, when the model
     * directory is incomplete, the graph does not match config.json, or the execution provider is missing.
     */
    public static GeneratorEngine start(EngineSettings settings, EngineObserver observer) {
        return new GeneratorEngine(Objects.requireNonNull(settings), Objects.requireNonNull(observer));
    }

    public static GeneratorEngine start(EngineSettings settings) {
        return start(settings, EngineObserver.NONE);
    }

    /** Opens a session whose events go to {@code listener} (see {@link SessionListener} for its duties). */
    public EngineSession openSession(String requestId, SessionListener listener) {
        return new EngineSession(requestId, loop, loop.open(requestId, listener), tokenizer);
    }

    public ModelDescription describe() {
        ModelConfig config = directory.config();
        return new ModelDescription(settings.modelId() != null ? settings.modelId() : directory.name(),
                config.contextLength(), config.vocabSize(), stepDelimiter, settings.maxTopLogprobs(),
                settings.maxStepTokens(), settings.maxBranchesPerSession(), settings.maxLiveBranches(),
                loop.liveBranches(), settings.executionProvider().name().toLowerCase(Locale.ROOT),
                settings.instance());
    }

    public EngineSettings settings() {
        return settings;
    }

    /** The model directory (its tokenizer_config.json carries the chat template). */
    public ModelDirectory directory() {
        return directory;
    }

    /** The graph's KV precision. */
    public Precision precision() {
        return model.precision();
    }

    public ModelConfig modelConfig() {
        return directory.config();
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public String stepDelimiter() {
        return stepDelimiter;
    }

    public int liveBranches() {
        return loop.liveBranches();
    }

    public int openSessions() {
        return loop.openSessions();
    }

    /** Commands, prefills and branches waiting for the decode loop. */
    public int queueDepth() {
        return loop.queueDepth();
    }

    /** Rows in the last decode step (0 when idle). */
    public int batchSize() {
        return loop.lastBatchSize();
    }

    /** KV bytes held: stored branch history plus the decode batch's working buffers. */
    public long kvBytes() {
        return loop.ledger().totalBytes();
    }

    /** KV bytes of branch history alone (shared prefixes counted once). */
    public long kvStoredBytes() {
        return loop.ledger().storedBytes();
    }

    /** KV bytes promised to work in flight. */
    public long kvReservedBytes() {
        return loop.ledger().reservedBytes();
    }

    @Override
    public void close() {
        loop.stop();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        model.close();
        tokenizer.close();
    }
}
