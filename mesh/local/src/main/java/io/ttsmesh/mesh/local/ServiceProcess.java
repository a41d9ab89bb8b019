package io.ttsmesh.mesh.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One built Quarkus service ({@code quarkus-app/quarkus-run.jar}) as a child process on loopback ports: the
 * generator, verifier or orchestrator of a {@link LocalMesh}, or a single service a benchmark drives. Ready when
 * {@code /q/health/ready} answers 200; its counters are its {@code /q/metrics}.
 */
public final class ServiceProcess {

    private static final Duration METRICS_BOUND = Duration.ofSeconds(10);

    private final ChildProcess child;
    private final int httpPort;
    private final int grpcPort;

    private ServiceProcess(ChildProcess child, int httpPort, int grpcPort) {
        this.child = child;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
    }

    /**
     * Starts the service without waiting for it ({@link #awaitReady}).
     *
     * @param properties its configuration; the ports and the loopback hosts are set here
     * @param log        its stdout and stderr (appended)
     */
    public static ServiceProcess launch(String name, Path jar, JavaCommand java, Map<String, String> properties,
                                        int httpPort, int grpcPort, Path log, Path workDir) {
        if (!Files.isRegularFile(jar)) {
            throw new MeshStartException(name + " jar not found: " + jar.toAbsolutePath() + " (build it: " + MeshLayout.BUILD_COMMAND + ")");
        }
        Map<String, String> props = new LinkedHashMap<>();
        // Loopback only: local services run with API keys off, so nothing of them may be reachable from outside.
        props.put("quarkus.http.host", "localhost");
        props.put("quarkus.grpc.server.host", "localhost");
        props.put("quarkus.http.port", Integer.toString(httpPort));
        props.put("quarkus.grpc.server.port", Integer.toString(grpcPort));
        props.putAll(properties);
        ChildProcess child = ChildProcess.start(name, java.properties(props).jar(jar), log, workDir);
        return new ServiceProcess(child, httpPort, grpcPort);
    }

    /** Starts the service on free ports and waits until it is ready; stopped again if it does not get there. */
    public static ServiceProcess start(String name, Path jar, JavaCommand java, Map<String, String> properties, Path log,
                                       Path workDir, Duration readyTimeout) {
        int[] ports = MeshPorts.freePorts(2);
        ServiceProcess service = launch(name, jar, java, properties, ports[0], ports[1], log, workDir);
        try {
            service.awaitReady(readyTimeout);
        } catch (RuntimeException e) {
            service.child.stop(Duration.ofSeconds(10));
            throw e;
        }
        return service;
    }

    public void awaitReady(Duration timeout) {
        child.awaitHttpOk(httpBase().resolve("q/health/ready"), timeout);
    }

    public ChildProcess child() {
        return child;
    }

    public String name() {
        return child.name();
    }

    public int httpPort() {
        return httpPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    public URI httpBase() {
        return URI.create("http://localhost:" + httpPort + "/");
    }

    /** The service's Prometheus exposition ({@code /q/metrics}); read it with {@link PrometheusText}. */
    public String metrics() {
        try {
            HttpResponse<String> r = BoundedGet.get(httpBase().resolve("q/metrics"), METRICS_BOUND);
            if (r.statusCode() != 200) {
                throw new IllegalStateException(name() + " /q/metrics answered " + r.statusCode());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(name() + " /q/metrics unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the metrics of " + name(), e);
        }
    }
}
