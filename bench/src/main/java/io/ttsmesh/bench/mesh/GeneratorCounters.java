package io.ttsmesh.bench.mesh;

import io.ttsmesh.mesh.local.PrometheusText;
import io.ttsmesh.mesh.local.ServiceProcess;

/**
 * The generator's counters this benchmark reads: decode steps and their rows (batch occupancy), the steps' model
 * time and generated tokens. From the service's /q/metrics, or in-process from the same engine hooks
 * ({@link InProcessModelClock}). NaN where the service does not expose one.
 */
record GeneratorCounters(double batchRowsSum, double decodeSteps, double generatedTokens, double decodeMs) {

    static GeneratorCounters read(ServiceProcess generator) {
        try {
            return of(generator.metrics());
        } catch (IllegalStateException unreadable) {
            return new GeneratorCounters(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
    }

    static GeneratorCounters of(String exposition) {
        return new GeneratorCounters(
                PrometheusText.value(exposition, "tts_generator_batch_size_sum").orElse(Double.NaN),
                PrometheusText.value(exposition, "tts_generator_batch_size_count").orElse(Double.NaN),
                PrometheusText.value(exposition, "tts_generator_generated_tokens_total").orElse(Double.NaN),
                1000 * PrometheusText.value(exposition, "tts_generator_decode_step_seconds_sum").orElse(Double.NaN));
    }

    GeneratorCounters minus(GeneratorCounters before) {
        return new GeneratorCounters(batchRowsSum - before.batchRowsSum, decodeSteps - before.decodeSteps,
                generatedTokens - before.generatedTokens, decodeMs - before.decodeMs);
    }

    /** Mean rows per decode step between {@code before} and now; NaN when no step ran or the metric is missing. */
    double batchRowsMeanSince(GeneratorCounters before) {
        return minus(before).rowsPerStep();
    }

    /** Mean rows per decode step of counts taken over a span ({@link #minus}); NaN when no step ran. */
    double rowsPerStep() {
        return decodeSteps > 0 ? batchRowsSum / decodeSteps : Double.NaN;
    }
}
