package io.ttsmesh.bench.verifier;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.ttsmesh.mesh.local.JavaCommand;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.local.PrometheusText;
import io.ttsmesh.mesh.local.ServiceProcess;
import io.ttsmesh.proto.verifier.VerifierGrpc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The verifier service jar running in its own JVM with one benchmark configuration, and a gRPC channel to it. */
final class VerifierUnderTest implements AutoCloseable {

    private final ServiceProcess service;
    private final ManagedChannel channel;
    final VerifierBench.ServiceConfig config;

    private VerifierUnderTest(ServiceProcess service, VerifierBench.ServiceConfig config) {
        this.service = service;
        this.config = config;
        this.channel = NettyChannelBuilder.forAddress("localhost", service.grpcPort()).usePlaintext().build();
    }

    static VerifierUnderTest start(Path jar, Path prmDir, VerifierBench.ServiceConfig config, int intraOpThreads) throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("tts.verifier.model.dir", prmDir.toAbsolutePath().toString());
        props.put("tts.verifier.batch.max-size", Integer.toString(config.maxBatch()));
        props.put("tts.verifier.batch.max-wait", config.maxWaitMs() + "ms");
        props.put("tts.verifier.batch.max-tokens", Integer.toString(config.maxTokens()));
        props.put("tts.verifier.cache.enabled", Boolean.toString(config.cache()));
        props.put("tts.verifier.cache.max-bytes", "512M");
        props.put("tts.verifier.model.intra-op-threads", Integer.toString(intraOpThreads));
        Path dir = Files.createTempDirectory("verifier-bench-" + config.name().replace('+', '-'));
        ServiceProcess service = ServiceProcess.start("verifier " + config.name(), jar,
                new JavaCommand(MeshLayout.locate().watchdogAgent(), dir), props, dir.resolve("service.log"), dir,
                Duration.ofSeconds(180));
        System.out.printf("service '%s' ready (log %s)%n", config.name(), service.child().log());
        return new VerifierUnderTest(service, config);
    }

    VerifierGrpc.VerifierBlockingStub stub() {
        return VerifierGrpc.newBlockingStub(channel);
    }

    /** Current values of the service's counters this benchmark reads, and its CPU time. */
    Counters counters() {
        String body = service.metrics();
        return new Counters(service.child().cpuNanos(), value(body, "tts_verifier_batch_size_sum", ""),
                value(body, "tts_verifier_batch_size_count", ""),
                value(body, "tts_verifier_cache_lookups_total", "result=\"full\""),
                value(body, "tts_verifier_cache_lookups_total", "result=\"prefix\""),
                value(body, "tts_verifier_cache_lookups_total", "result=\"miss\""));
    }

    private static double value(String body, String name, String label) {
        return PrometheusText.value(body, name, label).orElse(0);
    }

    /** @param cpuNanos CPU time the service process has used (all its threads) */
    record Counters(long cpuNanos, double batchSum, double batchCount, double full, double prefix, double miss) {
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        service.child().stop(Duration.ofSeconds(20));
    }
}
