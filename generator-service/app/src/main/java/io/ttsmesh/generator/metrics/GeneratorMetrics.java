package io.ttsmesh.generator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ttsmesh.generator.engine.EngineObserver;
import io.ttsmesh.generator.engine.ErrorCode;
import io.ttsmesh.generator.engine.GeneratorEngine;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The generator's Micrometer meters (Prometheus names {@code tts_generator_*}): fed by the engine's
 * decode thread through {@link EngineObserver}, and gauges read from the engine.
 */
@ApplicationScoped
public class GeneratorMetrics implements EngineObserver {

    private final MeterRegistry registry;
    private final Counter generated;
    private final Counter prefilled;
    private final DistributionSummary batchRows;
    private final Timer decodeStep;
    private final Timer firstStep;
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final TokenRate rate = new TokenRate(System::nanoTime);

    public GeneratorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.generated = Counter.builder("tts.generator.generated.tokens")
                .description("Tokens sampled (steps and probes)").register(registry);
        this.prefilled = Counter.builder("tts.generator.prefill.tokens")
                .description("Tokens prefilled (prompts, appended text, probe cues)").register(registry);
        this.batchRows = DistributionSummary.builder("tts.generator.batch.size")
                .description("Rows (branches) per decode step").register(registry);
        this.decodeStep = Timer.builder("tts.generator.decode.step")
                .description("Duration of one decode step over the whole batch").register(registry);
        this.firstStep = Timer.builder("tts.generator.time.to.first.step")
                .description("From an Extend's arrival to its first Step").publishPercentiles(0.5, 0.95)
                .register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, Counter.builder("tts.generator.command.errors").tag("code", code.name())
                    .description("Commands answered with an error").register(registry));
        }
        Gauge.builder("tts.generator.tokens.per.second", rate, TokenRate::perSecond)
                .description("Generated tokens per second over the last 10 seconds").register(registry);
    }

    /** Registers the gauges that read the engine's state. */
    public void bind(GeneratorEngine engine) {
        Gauge.builder("tts.generator.live.branches", engine, GeneratorEngine::liveBranches)
                .description("Live branches (holding KV) over all sessions").register(registry);
        Gauge.builder("tts.generator.sessions", engine, GeneratorEngine::openSessions)
                .description("Open sessions").register(registry);
        Gauge.builder("tts.generator.queue.depth", engine, GeneratorEngine::queueDepth)
                .description("Commands, prefills and branches waiting for the decode loop").register(registry);
        Gauge.builder("tts.generator.kv.bytes", engine, GeneratorEngine::kvStoredBytes).tag("kind", "stored")
                .description("KV cache bytes of branch history (shared prefixes once)").baseUnit("bytes").register(registry);
        Gauge.builder("tts.generator.kv.bytes", engine, e -> e.kvBytes() - e.kvStoredBytes()).tag("kind", "batch")
                .description("KV cache bytes of the decode batch's working buffers").baseUnit("bytes").register(registry);
        Gauge.builder("tts.generator.kv.bytes", engine, GeneratorEngine::kvReservedBytes).tag("kind", "reserved")
                .description("KV cache bytes reserved by work in flight").baseUnit("bytes").register(registry);
        Gauge.builder("tts.generator.batch.rows", engine, GeneratorEngine::batchSize)
                .description("Rows in the latest decode step").register(registry);
    }

    @Override
    public void decodeStep(int rows, long nanos) {
        batchRows.record(rows);
        decodeStep.record(Duration.ofNanos(nanos));
    }

    @Override
    public void generated(int tokens) {
        generated.increment(tokens);
        rate.add(tokens);
    }

    @Override
    public void prefilled(int tokens) {
        prefilled.increment(tokens);
    }

    @Override
    public void firstStep(long nanos) {
        firstStep.record(Duration.ofNanos(nanos));
    }

    @Override
    public void commandFailed(ErrorCode code) {
        errors.get(code).increment();
    }
}
