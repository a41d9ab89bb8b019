package io.ttsmesh.bench.mesh;

import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshService;
import io.ttsmesh.mesh.local.PrometheusText;

/**
 * One read of the three services' /q/metrics: the round trips and the times of a search come from the same moment,
 * at one request per service.
 */
record MeshMetrics(String generator, String verifier, String orchestrator) {

    /** @throws IllegalStateException when a service's metrics cannot be read */
    static MeshMetrics read(LocalMesh mesh) {
        return new MeshMetrics(mesh.service(MeshService.GENERATOR).metrics(), mesh.service(MeshService.VERIFIER).metrics(),
                mesh.service(MeshService.ORCHESTRATOR).metrics());
    }

    RoundTrips roundTrips() {
        return RoundTrips.of(generator, verifier);
    }

    ServiceTime times() {
        return ServiceTime.of(generator, verifier, orchestrator);
    }

    /** Sessions the generator holds open (NaN when it does not say). */
    double openGeneratorSessions() {
        return PrometheusText.value(generator, "tts_generator_sessions").orElse(Double.NaN);
    }
}
