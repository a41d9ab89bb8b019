package io.ttsmesh.verifier.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ttsmesh.verifier.ScoringMetrics;
import io.ttsmesh.verifier.StatusCode;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The engine's reports as Micrometer meters (Prometheus names in application.properties):
 * candidates scored and rejected, batch sizes, model time, queue wait, prefix cache outcomes, work stacks spared.
 */
@ApplicationScoped
public class MicrometerScoringMetrics implements ScoringMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary batchSize;
    private final Timer batchTime;
    private final Timer queueWait;
    private final Counter paddedTokens;
    private final Counter realTokens;
    private final Counter reusedTokens;
    private final Map<CacheOutcome, Counter> cache = new EnumMap<>(CacheOutcome.class);

    public MicrometerScoringMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchSize = DistributionSummary.builder("tts.verifier.batch.size")
                .description("candidates per model run")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
                .register(registry);
        this.batchTime = Timer.builder("tts.verifier.batch.duration")
                .description("time of one model run")
                .publishPercentileHistogram()
                .register(registry);
        this.queueWait = Timer.builder("tts.verifier.queue.wait")
                .description("time a candidate waited for its model run")
                .publishPercentileHistogram()
                .register(registry);
        this.paddedTokens = Counter.builder("tts.verifier.batch.tokens").tag("kind", "padded")
                .description("tokens computed by model runs, padding included (kind=padded) or real only (kind=real)")
                .register(registry);
        this.realTokens = Counter.builder("tts.verifier.batch.tokens").tag("kind", "real").register(registry);
        this.reusedTokens = Counter.builder("tts.verifier.cache.reused.tokens")
                .description("tokens not recomputed thanks to the prefix cache")
                .register(registry);
        for (CacheOutcome o : CacheOutcome.values()) {
            cache.put(o, Counter.builder("tts.verifier.cache.lookups").tag("result", o.name().toLowerCase())
                    .description("prefix cache lookups of candidates: full (no model run), prefix (a cached past "
                            + "was continued), miss")
                    .register(registry));
        }
    }

    @Override
    public void scored(String verifier, int candidates) {
        Counter.builder("tts.verifier.candidates").tag("verifier", verifier).tag("outcome", "scored")
                .description("candidates answered, by verifier and outcome (scored or a status code)")
                .register(registry).increment(candidates);
    }

    @Override
    public void rejected(String verifier, StatusCode code) {
        Counter.builder("tts.verifier.candidates").tag("verifier", verifier).tag("outcome", code.name())
                .register(registry).increment();
    }

    @Override
    public void stackSkipped(String member, int candidates, int scores) {
        Counter.builder("tts.verifier.stack.skipped.candidates").tag("member", member)
                .description("candidates a stack did not ask this member about, an earlier member having scored "
                        + "them 0 (member=prm: PRM calls saved)")
                .register(registry).increment(candidates);
        Counter.builder("tts.verifier.stack.skipped.scores").tag("member", member)
                .description("step scores a stack did not ask of this member (steps from an earlier member's 0 on)")
                .register(registry).increment(scores);
    }

    @Override
    public void batch(int rows, long padded, long real, Duration runTime) {
        batchSize.record(rows);
        batchTime.record(runTime);
        paddedTokens.increment(padded);
        realTokens.increment(real);
    }

    @Override
    public void queueWait(Duration wait) {
        queueWait.record(wait);
    }

    @Override
    public void cache(CacheOutcome outcome, int reused) {
        cache.get(outcome).increment();
        reusedTokens.increment(reused);
    }

    /** Share of lookups that reused something (full or prefix) since start. */
    double cacheHitRatio() {
        double full = cache.get(CacheOutcome.FULL).count();
        double prefix = cache.get(CacheOutcome.PREFIX).count();
        double all = full + prefix + cache.get(CacheOutcome.MISS).count();
        return all == 0 ? 0 : (full + prefix) / all;
    }
}
