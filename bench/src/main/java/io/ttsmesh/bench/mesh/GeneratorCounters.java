package io.ttsmesh.bench.mesh;

import io.ttsmesh.mesh.local.PrometheusText;
import io.ttsmesh.mesh.local.ServiceProcess;

/**
 * The generator service's counters this benchmark reads from /q/metrics: decode steps and their rows (batch
 * occupancy) and generated tokens. NaN where the service does not expose one.
 */
record GeneratorCounters(double batchRowsSum, double decodeSteps, double generatedTokens) {

    static GeneratorCounters read(ServiceProcess generator) {
        try {
            return of(generator.metrics());
        } catch (IllegalStateException unreadable) {
            return new GeneratorCounters(Double.NaN, Double.NaN, Double.NaN);
        }
    }

    static GeneratorCounters of(String exposition) {
        return new GeneratorCounters(
                PrometheusText.value(exposition, "tts_generator_batch_size_sum").orElse(Double.NaN),
                PrometheusText.value(exposition, "tts_generator_batch_size_count").orElse(Double.NaN),
                PrometheusText.value(exposition, "tts_generator_generated_tokens_total").orElse(Double.NaN));
    }

    /** Mean rows per decode step between {@code before} and now; NaN when no step ran or the metric is missing. */
    double batchRowsMeanSince(GeneratorCounters before) {
        double steps = decodeSteps - before.decodeSteps;
        return steps > 0 ? (batchRowsSum - before.batchRowsSum) / steps : Double.NaN;
    }
}
