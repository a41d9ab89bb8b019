package io.ttsmesh.bench.mesh;

import io.ttsmesh.mesh.local.PrometheusText;

import java.util.List;

/**
 * Time as the parts of a path measure it themselves: the generator's decode steps
 * ({@code tts_generator_decode_step_seconds_sum}), the verifier's model runs
 * ({@code tts_verifier_batch_duration_seconds_sum}) and, in the mesh, the orchestrator's searches from admission to
 * answer ({@code tts_orchestrator_search_duration_seconds_sum}, and {@code _count}: the searches it recorded; NaN
 * in-process, where there is no orchestrator). Read before and after a search that runs alone, the difference is that
 * search's. Beside the wall times it splits the mesh's overhead into its Solve call, the models and what is left for
 * the data plane.
 */
record ServiceTime(double decodeMs, double verifierMs, double searchMs, double searches) {

    /** A metric a service does not expose reads as NaN, so that a missing timer cannot pass for no time. */
    static ServiceTime of(String generatorMetrics, String verifierMetrics, String orchestratorMetrics) {
        return new ServiceTime(
                ms(generatorMetrics, "tts_generator_decode_step_seconds_sum"),
                ms(verifierMetrics, "tts_verifier_batch_duration_seconds_sum"),
                ms(orchestratorMetrics, "tts_orchestrator_search_duration_seconds_sum"),
                PrometheusText.value(orchestratorMetrics, "tts_orchestrator_search_duration_seconds_count").orElse(Double.NaN));
    }

    private static double ms(String exposition, String seconds) {
        return 1000 * PrometheusText.value(exposition, seconds).orElse(Double.NaN);
    }

    ServiceTime minus(ServiceTime before) {
        return new ServiceTime(decodeMs - before.decodeMs, verifierMs - before.verifierMs, searchMs - before.searchMs,
                searches - before.searches);
    }

    /** Both models' time. */
    double modelMs() {
        return decodeMs + verifierMs;
    }

    /** Per-search mean of each time (searches: how many were averaged); NaN each when there are none. */
    static ServiceTime mean(List<ServiceTime> measured) {
        double d = 0;
        double v = 0;
        double s = 0;
        for (ServiceTime t : measured) {
            d += t.decodeMs;
            v += t.verifierMs;
            s += t.searchMs;
        }
        int n = measured.size();
        return n == 0 ? new ServiceTime(Double.NaN, Double.NaN, Double.NaN, 0) : new ServiceTime(d / n, v / n, s / n, n);
    }
}
