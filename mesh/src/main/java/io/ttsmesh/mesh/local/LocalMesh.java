package io.ttsmesh.mesh.local;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The mesh on this machine: a Kafka broker (KRaft) and the generator, verifier and orchestrator, each its own
 * child process, pointed at each other, with the bundled models. {@link #close} (also run by a shutdown hook)
 * stops them all; the watchdog agent in each child covers a launcher that dies without running hooks.
 */
public final class LocalMesh implements AutoCloseable {

    private final MeshLayout layout;
    private final MeshPorts ports;
    private final Path workDir;
    private final boolean keepWorkDir;
    private final Duration readyTimeout;
    private final Map<String, String> orchestratorProperties;
    private final PrintStream out;
    private final KafkaBroker broker;
    private final Map<MeshService, ChildProcess> services = new EnumMap<>(MeshService.class);
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread shutdownHook = new Thread(this::close, "tts-mesh-shutdown");
    private ManagedChannel orchestratorChannel;
    private boolean closed;

    private LocalMesh(Options options) {
        this.layout = options.layout;
        this.ports = options.ports;
        this.workDir = options.workDir;
        this.keepWorkDir = options.keepWorkDir;
        this.readyTimeout = options.readyTimeout;
        this.orchestratorProperties = Map.copyOf(options.orchestratorProperties);
        this.out = options.out;
        this.broker = new KafkaBroker(layout, workDir.resolve("kafka"), ports.kafka(), ports.kafkaController());
    }

    /** Starts everything, in dependency order, each waited for; on any failure stops what was started and throws. */
    public static LocalMesh start(Options options) {
        options.ports.requireFree();
        LocalMesh mesh = new LocalMesh(options);
        Runtime.getRuntime().addShutdownHook(mesh.shutdownHook);
        try {
            mesh.startAll();
            return mesh;
        } catch (RuntimeException | Error e) {
            mesh.close();
            throw e;
        }
    }

    private void startAll() {
        try {
            Files.createDirectories(workDir.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + workDir, e);
        }
        long t0 = System.nanoTime();
        out.printf("Starting Kafka (KRaft) on %s ...%n", broker.bootstrapServers());
        broker.start(readyTimeout);
        ready("Kafka broker", broker.process(), t0);
        // The generator and the verifier load their models at once; the orchestrator needs both.
        t0 = System.nanoTime();
        out.printf("Starting generator (HTTP %d, gRPC %d) and verifier (HTTP %d, gRPC %d) ...%n",
                ports.generatorHttp(), ports.generatorGrpc(), ports.verifierHttp(), ports.verifierGrpc());
        launch(MeshService.GENERATOR);
        launch(MeshService.VERIFIER);
        awaitReady(MeshService.GENERATOR);
        ready("generator", services.get(MeshService.GENERATOR), t0);
        awaitReady(MeshService.VERIFIER);
        ready("verifier", services.get(MeshService.VERIFIER), t0);
        t0 = System.nanoTime();
        out.printf("Starting orchestrator (HTTP %d, gRPC %d) ...%n", ports.orchestratorHttp(), ports.orchestratorGrpc());
        launch(MeshService.ORCHESTRATOR);
        awaitReady(MeshService.ORCHESTRATOR);
        ready("orchestrator", services.get(MeshService.ORCHESTRATOR), t0);
    }

    private void ready(String what, ChildProcess p, long t0) {
        out.printf("  %s ready in %.1f s (pid %d, log %s)%n", what, (System.nanoTime() - t0) / 1e9, p.pid(), p.log());
    }

    public MeshPorts ports() {
        return ports;
    }

    public MeshLayout layout() {
        return layout;
    }

    public KafkaBroker broker() {
        return broker;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public ChildProcess service(MeshService service) {
        return services.get(service);
    }

    public URI httpBase(MeshService service) {
        int port = switch (service) {
            case GENERATOR -> ports.generatorHttp();
            case VERIFIER -> ports.verifierHttp();
            case ORCHESTRATOR -> ports.orchestratorHttp();
        };
        return URI.create("http://localhost:" + port + "/");
    }

    /** A plaintext channel to the orchestrator's gRPC port, shared; closed with the mesh. */
    public ManagedChannel orchestratorChannel() {
        lock.lock();
        try {
            if (orchestratorChannel == null) {
                orchestratorChannel = ManagedChannelBuilder.forAddress("localhost", ports.orchestratorGrpc()).usePlaintext().build();
            }
            return orchestratorChannel;
        } finally {
            lock.unlock();
        }
    }

    /** SIGKILLs a service (a crash: no shutdown hook of it runs). */
    public void kill(MeshService service) {
        services.get(service).kill();
    }

    /** Starts a stopped or killed service again with the same configuration and waits until it is ready. */
    public void restart(MeshService service) {
        ChildProcess old = services.get(service);
        if (old != null && old.isAlive()) {
            throw new IllegalStateException(service.displayName() + " is still running");
        }
        launch(service);
        awaitReady(service);
    }

    private void launch(MeshService service) {
        Map<String, String> props = new LinkedHashMap<>();
        // Loopback only: the local mesh runs with API keys off (below), so nothing of it may be reachable from outside.
        props.put("quarkus.http.host", "localhost");
        props.put("quarkus.grpc.server.host", "localhost");
        switch (service) {
            case GENERATOR -> {
                props.put("quarkus.http.port", Integer.toString(ports.generatorHttp()));
                props.put("quarkus.grpc.server.port", Integer.toString(ports.generatorGrpc()));
                props.put("tts.generator.model-dir", layout.generatorModel().toString());
            }
            case VERIFIER -> {
                props.put("quarkus.http.port", Integer.toString(ports.verifierHttp()));
                props.put("quarkus.grpc.server.port", Integer.toString(ports.verifierGrpc()));
                props.put("tts.verifier.model.dir", layout.prmModel().toString());
            }
            case ORCHESTRATOR -> {
                props.put("quarkus.http.port", Integer.toString(ports.orchestratorHttp()));
                props.put("quarkus.grpc.server.port", Integer.toString(ports.orchestratorGrpc()));
                props.put("tts.orchestrator.generators.addresses", "localhost:" + ports.generatorGrpc());
                props.put("tts.orchestrator.verifiers.addresses", "localhost:" + ports.verifierGrpc());
                props.put("tts.orchestrator.kafka.enabled", "true");
                props.put("kafka.bootstrap.servers", broker.bootstrapServers());
                // The local mesh listens on loopback only (above); API keys guard the public API everywhere else.
                props.put("tts.orchestrator.auth.enabled", "false");
                // A killed orchestrator leaves its consumer-group membership behind until the session times
                // out; keep that short on one machine so a restarted one takes the partitions over quickly.
                props.put("mp.messaging.incoming.tts-requests.session.timeout.ms", "6000");
                props.put("mp.messaging.incoming.tts-requests.heartbeat.interval.ms", "1000");
                props.putAll(orchestratorProperties);
            }
        }
        JavaCommand java = new JavaCommand(layout.watchdogAgent(), workDir.resolve("tmp")).properties(props);
        Path log = workDir.resolve(service.displayName() + ".log");
        services.put(service, ChildProcess.start(service.displayName(), java.jar(layout.serviceJar(service)), log, workDir));
    }

    private void awaitReady(MeshService service) {
        services.get(service).awaitHttpOk(httpBase(service).resolve("q/health/ready"), readyTimeout);
    }

    /** Stops the orchestrator first (no new work), then the pods, then the broker; removes the work dir. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (orchestratorChannel != null) {
                orchestratorChannel.shutdownNow();
                try {
                    orchestratorChannel.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            for (MeshService s : new MeshService[] {MeshService.ORCHESTRATOR, MeshService.GENERATOR, MeshService.VERIFIER}) {
                ChildProcess p = services.get(s);
                if (p != null) {
                    p.stop(Duration.ofSeconds(20));
                }
            }
            broker.stop();
            if (!keepWorkDir) {
                deleteQuietly(workDir);
            }
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting; the hook runs anyway and finds everything closed
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temp dir is harmless
        }
    }

    /** How to start a mesh. */
    public static final class Options {
        private final MeshLayout layout;
        private MeshPorts ports = MeshPorts.defaults();
        private Path workDir;
        private boolean keepWorkDir;
        private Duration readyTimeout = Duration.ofSeconds(180);
        private final Map<String, String> orchestratorProperties = new LinkedHashMap<>();
        private PrintStream out = System.out;

        public Options(MeshLayout layout) {
            this.layout = layout;
        }

        public Options ports(MeshPorts ports) {
            this.ports = ports;
            return this;
        }

        /** Where logs, Kafka's data and native libraries go; a new temp dir by default, removed on close. */
        public Options workDir(Path dir, boolean keep) {
            this.workDir = dir;
            this.keepWorkDir = keep;
            return this;
        }

        public Options readyTimeout(Duration timeout) {
            this.readyTimeout = timeout;
            return this;
        }

        public Options orchestratorProperty(String key, String value) {
            orchestratorProperties.put(key, value);
            return this;
        }

        public Options out(PrintStream out) {
            this.out = out;
            return this;
        }

        public LocalMesh start() {
            if (workDir == null) {
                try {
                    workDir = Files.createTempDirectory("tts-mesh-");
                } catch (IOException e) {
                    throw new UncheckedIOException("could not create a temp dir", e);
                }
            }
            return LocalMesh.start(this);
        }
    }
}
