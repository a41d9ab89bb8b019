package io.ttsmesh.bench.verifier;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.ttsmesh.proto.verifier.VerifierGrpc;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The verifier service jar running in its own JVM with one benchmark configuration, and a gRPC channel to it. */
final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final Thread reaper;
    private final int httpPort;
    private final ManagedChannel channel;
    private final HttpClient http = HttpClient.newHttpClient();
    final VerifierBench.ServiceConfig config;

    private ServiceProcess(Process process, Thread reaper, int httpPort, int grpcPort, VerifierBench.ServiceConfig config) {
        this.process = process;
        this.reaper = reaper;
        this.httpPort = httpPort;
        this.config = config;
        this.channel = NettyChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
    }

    static ServiceProcess start(Path jar, Path prmDir, VerifierBench.ServiceConfig config, int intraOpThreads)
            throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("service jar not found: " + jar.toAbsolutePath()
                    + " (build it: ./mvnw -B -q -pl verifier-service/app -am package -DskipTests)");
        }
        int http = freePort();
        int grpc = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dquarkus.http.port=" + http, "-Dquarkus.grpc.server.port=" + grpc,
                "-Dtts.verifier.model.dir=" + prmDir.toAbsolutePath(),
                "-Dtts.verifier.batch.max-size=" + config.maxBatch(),
                "-Dtts.verifier.batch.max-wait=" + config.maxWaitMs() + "ms",
                "-Dtts.verifier.batch.max-tokens=" + config.maxTokens(),
                "-Dtts.verifier.cache.enabled=" + config.cache(),
                "-Dtts.verifier.cache.max-bytes=512M",
                "-Dtts.verifier.model.intra-op-threads=" + intraOpThreads,
                "-jar", jar.toAbsolutePath().toString()));
        Path log = Files.createTempFile("verifier-bench-" + config.name().replace('+', '-'), ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Thread reaper = new Thread(p::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(reaper);
        ServiceProcess s = new ServiceProcess(p, reaper, http, grpc, config);
        try {
            s.awaitReady(log);
        } catch (Exception e) {
            s.close();
            throw e;
        }
        System.out.printf("service '%s' ready (log %s)%n", config.name(), log);
        return s;
    }

    private void awaitReady(Path log) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the service did not become ready in 180 s; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    VerifierGrpc.VerifierBlockingStub stub() {
        return VerifierGrpc.newBlockingStub(channel);
    }

    /** Current values of the service's counters this benchmark reads, and its CPU time. */
    Counters counters() throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long cpuNanos = process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        return new Counters(cpuNanos, value(body, "tts_verifier_batch_size_sum"), value(body, "tts_verifier_batch_size_count"),
                value(body, "tts_verifier_cache_lookups_total\\{result=\"full\"}"),
                value(body, "tts_verifier_cache_lookups_total\\{result=\"prefix\"}"),
                value(body, "tts_verifier_cache_lookups_total\\{result=\"miss\"}"));
    }

    private static double value(String body, String name) {
        Matcher m = Pattern.compile("^" + name + "\\s+([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** @param cpuNanos CPU time the service process has used (all its threads) */
    record Counters(long cpuNanos, double batchSum, double batchCount, double full, double prefix, double miss) {
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Runtime.getRuntime().removeShutdownHook(reaper);
    }
}
