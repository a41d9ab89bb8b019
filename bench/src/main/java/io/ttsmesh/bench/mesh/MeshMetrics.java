package io.ttsmesh.bench.mesh;

import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshService;
import io.ttsmesh.mesh.local.PrometheusText;

/**
 * One read of the three services' /q/metrics: the round trips and the times of a search come from the same moment,
 * at one request per service. Parsed once, when read: a read is compared again and again while a search settles.
 *
 * @param openGeneratorSessions sessions the generator holds open (NaN when it does not say)
 */
record MeshMetrics(RoundTrips roundTrips, ServiceTime times, double openGeneratorSessions) {

    /** @throws IllegalStateException when a service's metrics cannot be read */
    static MeshMetrics read(LocalMesh mesh) {
        String generator = mesh.service(MeshService.GENERATOR).metrics();
        String verifier = mesh.service(MeshService.VERIFIER).metrics();
        String orchestrator = mesh.service(MeshService.ORCHESTRATOR).metrics();
        return new MeshMetrics(RoundTrips.of(generator, verifier), ServiceTime.of(generator, verifier, orchestrator),
                PrometheusText.value(generator, "tts_generator_sessions").orElse(Double.NaN));
    }
}
