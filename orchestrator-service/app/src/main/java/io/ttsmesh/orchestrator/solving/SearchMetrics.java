package io.ttsmesh.orchestrator.solving;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ttsmesh.orchestrator.admission.SearchAdmission;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.events.StopReason;

import java.time.Duration;

/**
 * The orchestrator's search metrics (Prometheus names): tts_orchestrator_searches_running,
 * tts_orchestrator_searches_queued, tts_orchestrator_search_duration_seconds{strategy,stop_reason},
 * tts_orchestrator_search_generated_tokens{strategy}, tts_orchestrator_search_verifier_calls{strategy},
 * tts_orchestrator_rejections_total{reason}, tts_orchestrator_searches_degraded_total{strategy} (searches answered by
 * an unscored vote because no verifier answered). Strategy tags only carry names the catalog accepted.
 */
public final class SearchMetrics {

    private final MeterRegistry registry;

    public SearchMetrics(MeterRegistry registry, SearchAdmission admission) {
        this.registry = registry;
        registry.gauge("tts.orchestrator.searches.running", admission, SearchAdmission::running);
        registry.gauge("tts.orchestrator.searches.queued", admission, SearchAdmission::queued);
    }

    public void finished(String strategy, SolveResult result, Duration took) {
        Timer.builder("tts.orchestrator.search.duration")
                .description("Wall time of a search, from admission to its answer (before its generator session is closed)")
                .tags("strategy", strategy, "stop_reason", result.getStopReason().name())
                .publishPercentileHistogram()
                .register(registry)
                .record(took);
        DistributionSummary.builder("tts.orchestrator.search.generated.tokens")
                .description("Tokens generated per search")
                .tags("strategy", strategy)
                .register(registry)
                .record(result.getSpend().getGeneratedTokens());
        DistributionSummary.builder("tts.orchestrator.search.verifier.calls")
                .description("Candidates scored per search")
                .tags("strategy", strategy)
                .register(registry)
                .record(result.getSpend().getVerifierCalls());
        if (result.getStopReason() == StopReason.DEGRADED) {
            registry.counter("tts.orchestrator.searches.degraded", "strategy", strategy).increment();
        }
    }

    /** @param reason "over_capacity", "invalid", "jobs_full" */
    public void rejected(String reason) {
        registry.counter("tts.orchestrator.rejections", "reason", reason).increment();
    }
}
