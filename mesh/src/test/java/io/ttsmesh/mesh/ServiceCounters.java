package io.ttsmesh.mesh;

import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshService;
import io.ttsmesh.mesh.local.PrometheusText;

/**
 * The services' own counters, read from their Prometheus endpoints (/q/metrics): tokens the generator generated
 * and prefilled, candidates the verifier scored. A search's reported spend is checked against their deltas.
 */
record ServiceCounters(double generatedTokens, double prefillTokens, double verifierScored) {

    /** The counters of one task's generator and verifier; 0 for a counter not counted yet. */
    static ServiceCounters read(LocalMesh mesh, String task) {
        String generator = mesh.service(MeshService.GENERATOR, task).metrics();
        String verifier = mesh.service(MeshService.VERIFIER, task).metrics();
        return new ServiceCounters(PrometheusText.value(generator, "tts_generator_generated_tokens_total").orElse(0),
                PrometheusText.value(generator, "tts_generator_prefill_tokens_total").orElse(0),
                PrometheusText.value(verifier, "tts_verifier_candidates_total", "outcome=\"scored\"").orElse(0));
    }

    ServiceCounters minus(ServiceCounters before) {
        return new ServiceCounters(generatedTokens - before.generatedTokens, prefillTokens - before.prefillTokens,
                verifierScored - before.verifierScored);
    }
}
