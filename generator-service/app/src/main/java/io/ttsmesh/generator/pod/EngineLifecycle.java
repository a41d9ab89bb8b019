package io.ttsmesh.generator.pod;

import io.quarkus.runtime.Startup;
import io.ttsmesh.generator.engine.EngineSettings;
import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.generator.engine.decode.Precision;
import io.ttsmesh.generator.metrics.GeneratorMetrics;
import io.ttsmesh.runtime.ExecutionProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Loads the model when the pod starts (not on first use): a missing model or an unavailable execution
 * provider stops the start with a message instead of leaving a pod that looks ready.
 */
@ApplicationScoped
public class EngineLifecycle {

    private static final Logger LOG = Logger.getLogger(EngineLifecycle.class);

    @Produces
    @Singleton
    @Startup
    GeneratorEngine engine(GeneratorConfig config, GeneratorMetrics metrics) {
        EngineSettings settings = EngineSettings.forModel(config.modelDir())
                .graphFile(config.graphFile())
                .dtype(Precision.parse(config.dtype()))
                .modelId(config.modelId().orElse(null))
                .executionProvider(ExecutionProvider.parse(config.executionProvider()))
                .intraOpThreads(config.intraOpThreads())
                .stepDelimiter(config.stepDelimiter().orElse(null))
                .instance(config.instance())
                .maxLiveBranches(config.maxLiveBranches())
                .maxBranchesPerSession(config.maxBranchesPerSession())
                .maxKvBytes(config.maxKvBytes().asLongValue())
                .maxQueuedCommands(config.maxQueuedCommands())
                .maxPendingPrefills(config.maxPendingPrefills())
                .maxBatchSize(config.maxBatchSize())
                .maxStepTokens(config.maxStepTokens())
                .maxTopLogprobs(config.maxTopLogprobs())
                .prefillChunkTokens(config.prefillChunkTokens())
                .build();
        GeneratorEngine engine = GeneratorEngine.start(settings, metrics);
        metrics.bind(engine);
        var d = engine.describe();
        LOG.infof("generator ready: model %s (%s, %s KV, context %d, vocabulary %d) on %s, step delimiter %s", d.model(),
                config.graphFile(), engine.precision(), d.contextLength(), d.vocabSize(), d.executionProvider(),
                d.stepDelimiter().replace("\n", "\\n"));
        return engine;
    }

    void stop(@Disposes GeneratorEngine engine) {
        engine.close();
    }
}
