package io.ttsmesh.bench.mesh;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One built Quarkus service ({@code quarkus-app/quarkus-run.jar}) running in a child JVM on free loopback
 * ports, its output in a log file. {@link #start} returns once {@code /q/health/ready} answers 200 (bounded
 * wait). The child is killed on {@link #close} and, should this JVM exit first, by a shutdown hook, so a
 * benchmark never leaves a service behind.
 */
final class ServiceJvm implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final String name;
    private final Process process;
    private final Thread killer;
    private final int httpPort;
    private final int grpcPort;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ServiceJvm(String name, Process process, Thread killer, int httpPort, int grpcPort, Path log) {
        this.name = name;
        this.process = process;
        this.killer = killer;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.log = log;
    }

    /**
     * @param name    the service's name in messages and in its log file's name
     * @param jar     the service's {@code quarkus-run.jar}
     * @param config  system properties for the service ({@code quarkus.http.port} and {@code quarkus.grpc.server.port}
     *                are chosen here)
     * @param logDir  where {@code <name>.log} is written
     * @param ready   longest wait for readiness
     */
    static ServiceJvm start(String name, Path jar, Map<String, String> config, Path logDir, Duration ready)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(name + " jar not found: " + jar.toAbsolutePath()
                    + " (build it: ./mvnw -B -q -pl generator-service/app,verifier-service/app,orchestrator-service/app"
                    + " -am package -DskipTests)");
        }
        int httpPort = freePort();
        int grpcPort = freePort();
        Map<String, String> props = new LinkedHashMap<>(config);
        props.put("quarkus.http.port", Integer.toString(httpPort));
        props.put("quarkus.grpc.server.port", Integer.toString(grpcPort));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        props.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Thread killer = new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }, name + "-killer");
        Runtime.getRuntime().addShutdownHook(killer);
        ServiceJvm service = new ServiceJvm(name, process, killer, httpPort, grpcPort, log);
        try {
            service.awaitReady(ready);
        } catch (InterruptedException | RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    private void awaitReady(Duration limit) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(uri("/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting; see " + log);
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // starting: try again
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within " + limit.toSeconds() + " s; see " + log);
    }

    int grpcPort() {
        return grpcPort;
    }

    /** The service's Prometheus exposition ({@code /q/metrics}). */
    String metrics() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/q/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(name + " /q/metrics answered " + r.statusCode());
        }
        return r.body();
    }

    /** CPU time the service's JVM has used so far (all threads), or 0 where the OS does not say. */
    long cpuNanos() {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + httpPort + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** Asks the service to stop (SIGTERM), then kills it if it has not stopped within the grace. */
    @Override
    public void close() throws InterruptedException {
        try {
            process.destroy();
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            http.close();
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
