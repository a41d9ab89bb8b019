package io.ttsmesh.bench.mesh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The three services as child JVMs on loopback: generator and verifier (started side by side), then the
 * orchestrator pointed at them, with its Kafka plane off. Closing stops all three, the orchestrator first.
 */
final class LocalMesh implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(240);

    private final ServiceJvm generator;
    private final ServiceJvm verifier;
    private final ServiceJvm orchestrator;

    private LocalMesh(ServiceJvm generator, ServiceJvm verifier, ServiceJvm orchestrator) {
        this.generator = generator;
        this.verifier = verifier;
        this.orchestrator = orchestrator;
    }

    /**
     * @param threads ONNX Runtime intra-op threads of the generator and of the verifier
     * @param logDir  where the services' logs go
     */
    static LocalMesh start(MeshOptions options, int threads, Path logDir) throws Exception {
        Map<String, String> gen = new LinkedHashMap<>();
        gen.put("tts.generator.model-dir", options.models().resolve("generator").toAbsolutePath().toString());
        gen.put("tts.generator.intra-op-threads", Integer.toString(threads));
        gen.put("tts.generator.instance", "bench-generator");
        Map<String, String> ver = new LinkedHashMap<>();
        ver.put("tts.verifier.model.dir", options.models().resolve("prm").toAbsolutePath().toString());
        ver.put("tts.verifier.model.intra-op-threads", Integer.toString(threads));
        ver.put("tts.verifier.instance", "bench-verifier");

        ServiceJvm generator = null;
        ServiceJvm verifier = null;
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ServiceJvm> g = starters.submit(() -> ServiceJvm.start("generator", options.generatorJar(), gen, logDir, READY));
            Future<ServiceJvm> v = starters.submit(() -> ServiceJvm.start("verifier", options.verifierJar(), ver, logDir, READY));
            generator = awaitQuietly(g);
            verifier = awaitQuietly(v);
            if (generator == null || verifier == null) {
                g.get();
                v.get();
            }
            Map<String, String> orch = new LinkedHashMap<>();
            orch.put("tts.orchestrator.generators.addresses", "localhost:" + generator.grpcPort());
            orch.put("tts.orchestrator.verifiers.addresses", "localhost:" + verifier.grpcPort());
            orch.put("tts.orchestrator.kafka.enabled", "false");
            // Loopback only, and a benchmark must not be throttled by the per-key rate limits.
            orch.put("tts.orchestrator.auth.enabled", "false");
            ServiceJvm orchestrator = ServiceJvm.start("orchestrator", options.orchestratorJar(), orch, logDir, READY);
            return new LocalMesh(generator, verifier, orchestrator);
        } catch (Exception e) {
            closeQuietly(verifier);
            closeQuietly(generator);
            throw e;
        }
    }

    /** The service, or null when its start failed (the failure is rethrown by the caller, after both ended). */
    private static ServiceJvm awaitQuietly(Future<ServiceJvm> start) throws InterruptedException {
        try {
            return start.get();
        } catch (java.util.concurrent.ExecutionException e) {
            return null;
        }
    }

    private static void closeQuietly(ServiceJvm service) {
        if (service == null) {
            return;
        }
        try {
            service.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int orchestratorGrpcPort() {
        return orchestrator.grpcPort();
    }

    ServiceJvm generator() {
        return generator;
    }

    /** CPU time of the three service JVMs together. */
    long cpuNanos() {
        return generator.cpuNanos() + verifier.cpuNanos() + orchestrator.cpuNanos();
    }

    @Override
    public void close() {
        closeQuietly(orchestrator);
        closeQuietly(generator);
        closeQuietly(verifier);
    }
}
