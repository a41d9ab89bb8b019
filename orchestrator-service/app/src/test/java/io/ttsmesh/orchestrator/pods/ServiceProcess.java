package io.ttsmesh.orchestrator.pods;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A real generator or verifier service (its built fast-jar, the bundled models) in its own JVM on loopback
 * ports, for tests that read the service's own metrics. The jars come from the reactor's earlier modules
 * ({@code ./mvnw -pl generator-service/app,verifier-service/app -am package -DskipTests}).
 */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int httpPort;
    private final int grpcPort;
    private final Path log;

    private ServiceProcess(Process process, int httpPort, int grpcPort, Path log) {
        this.process = process;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.log = log;
    }

    /** The checkout's root (the models directory's parent, as the build passes it). */
    static Path repositoryRoot() {
        String models = System.getProperty("ttsmesh.models.dir");
        Path root = models != null ? Path.of(models).toAbsolutePath().getParent() : Path.of("../..").toAbsolutePath();
        return root.normalize();
    }

    /**
     * Starts {@code module}'s fast-jar (e.g. "generator-service/app") with the given configuration and waits until
     * it is ready (/q/health/ready), at most two minutes.
     */
    static ServiceProcess start(String module, Map<String, String> properties) throws IOException {
        Path root = repositoryRoot();
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (./mvnw -o -pl "
                    + module + " -am package -DskipTests)");
        }
        int http = freePort();
        int grpc = freePort();
        Path tmp = Path.of("target").toAbsolutePath().resolve("service-" + http);
        Files.createDirectories(tmp);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx768m",
                "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp, "-Dquarkus.http.port=" + http,
                "-Dquarkus.grpc.server.port=" + grpc, "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.grpc.server.host=127.0.0.1"));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        Path log = tmp.resolve("service.log");
        Process process = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        ServiceProcess service = new ServiceProcess(process, http, grpc, log);
        try {
            await().atMost(2, TimeUnit.MINUTES).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(module + " exited with " + process.exitValue() + "; log: "
                            + Files.readString(log));
                }
                return service.ready();
            });
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    private boolean ready() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String grpcAddress() {
        return "localhost:" + grpcPort;
    }

    /** Sum of the samples of a Prometheus metric whose labels contain {@code labels} (e.g. awaited="true"). */
    double metric(String name, String labels) throws IOException, InterruptedException {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            if (labels.isEmpty() || (m.group(1) != null && m.group(1).contains(labels))) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "service on " + grpcAddress() + " (log " + log + ")";
    }
}
