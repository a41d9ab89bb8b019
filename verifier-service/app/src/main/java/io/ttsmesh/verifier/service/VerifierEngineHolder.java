package io.ttsmesh.verifier.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.ttsmesh.runtime.ExecutionProvider;
import io.ttsmesh.verifier.Limits;
import io.ttsmesh.verifier.StatusCode;
import io.ttsmesh.verifier.VerifierEngine;
import io.ttsmesh.verifier.VerifierException;
import io.ttsmesh.verifier.batching.BatchSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Loads the PRM and builds the scoring engine when the service starts; readiness reports whether that
 * is done. Loading at startup (not on the first call) makes a broken model directory fail the pod at
 * once, with the reason in the log, instead of failing requests later.
 */
@Startup
@ApplicationScoped
public class VerifierEngineHolder {

    private static final Logger LOG = Logger.getLogger(VerifierEngineHolder.class);

    private final VerifierConfig config;
    private final MicrometerScoringMetrics metrics;
    private final MeterRegistry registry;
    private volatile VerifierEngine engine;

    public VerifierEngineHolder(VerifierConfig config, MicrometerScoringMetrics metrics, MeterRegistry registry) {
        this.config = config;
        this.metrics = metrics;
        this.registry = registry;
    }

    @PostConstruct
    void load() {
        VerifierConfig.Model m = config.model();
        VerifierConfig.Batch b = config.batch();
        long started = System.nanoTime();
        VerifierEngine built = VerifierEngine.builder()
                .task(config.task())
                .stacks(config.stacks())
                .modelDir(m.dir())
                .graphFile(m.graphFile().orElse(null))
                .convention(m.convention())
                .executionProvider(ExecutionProvider.parse(m.executionProvider()))
                .intraOpThreads(m.intraOpThreads())
                .maxTokens(m.maxTokens())
                .batch(new BatchSettings(b.maxSize(), b.maxWait(), b.queueCapacity(), b.workers(), b.maxPadding(),
                        b.maxTokens()))
                .cacheBytes(config.cache().enabled() ? config.cache().maxBytes().asLongValue() : 0)
                .limits(new Limits(config.limits().maxCandidates(), config.limits().maxSteps()))
                .metrics(metrics)
                .build();
        Gauge.builder("tts.verifier.queue.depth", built, VerifierEngine::queued)
                .description("candidates waiting for a model run").register(registry);
        if (built.cache() != null) {
            Gauge.builder("tts.verifier.cache.bytes", built, e -> e.cache().bytes())
                    .description("bytes held by the prefix cache").baseUnit("bytes").register(registry);
            Gauge.builder("tts.verifier.cache.entries", built, e -> e.cache().entries())
                    .description("prefix states held by the prefix cache").register(registry);
        }
        Gauge.builder("tts.verifier.cache.hit.ratio", metrics, MicrometerScoringMetrics::cacheHitRatio)
                .description("share of prefix cache lookups that reused work, since start").register(registry);
        engine = built;
        LOG.infof("verifier ready: model %s from %s (convention %s, task %s) in %d ms; verifiers %s; stacks %s; "
                        + "tasks %s; batch %d/%s; cache %s",
                built.modelId(), m.dir(), m.convention(), built.task(), (System.nanoTime() - started) / 1_000_000,
                built.verifierNames(), built.stackNames(), built.tasks().names(), b.maxSize(), b.maxWait(),
                config.cache().enabled() ? config.cache().maxBytes().asLongValue() + " bytes" : "off");
    }

    /** @throws VerifierException UNAVAILABLE while the model is not loaded */
    public VerifierEngine engine() {
        VerifierEngine e = engine;
        if (e == null) {
            throw new VerifierException(StatusCode.UNAVAILABLE, "the verifier's model is not loaded yet");
        }
        return e;
    }

    public boolean ready() {
        return engine != null;
    }

    @PreDestroy
    void close() {
        VerifierEngine e = engine;
        engine = null;
        if (e != null) {
            e.close();
        }
    }
}
