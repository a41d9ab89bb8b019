package io.ttsmesh.mesh.local;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.ttsmesh.task.TaskRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The mesh on this machine: per task a generator and a verifier with that task's models, the orchestrator routing
 * each task to its pods and, where one is given ({@link Options#broker}), a message broker for its Kafka plane; each
 * its own child process. {@link #close} (also run by a shutdown hook, so on Ctrl-C) stops them all in order and says
 * how each ended; the watchdog agent in each child covers a launcher that dies without running hooks.
 */
public final class LocalMesh implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final Duration BROKER_STOP_GRACE = Duration.ofSeconds(30);

    private final MeshLayout layout;
    private final MeshPorts ports;
    private final Path workDir;
    private final boolean keepWorkDir;
    private final Duration readyTimeout;
    private final Map<MeshService, Map<String, String>> serviceProperties;
    private final List<String> jvmOptions;
    private final PrintStream out;
    private final MeshBroker broker;
    /** Per task (in start order), its generator and verifier. */
    private final Map<String, Map<MeshService, ServiceProcess>> pods = new LinkedHashMap<>();
    /** Replaced by a restart, possibly on another thread than the one reading it. */
    private volatile ServiceProcess orchestrator;
    private final ReentrantLock lock = new ReentrantLock();
    private final Thread shutdownHook = new Thread(this::close, "tts-mesh-shutdown");
    private ManagedChannel orchestratorChannel;
    /** Set before the first child is stopped: a child that exits after it was stopped on purpose. */
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean failed = new AtomicBoolean();
    private boolean closed;

    private LocalMesh(Options options) {
        this.layout = options.layout;
        this.ports = options.ports;
        this.workDir = options.workDir;
        this.keepWorkDir = options.keepWorkDir;
        this.readyTimeout = options.readyTimeout;
        this.serviceProperties = new EnumMap<>(MeshService.class);
        options.serviceProperties.forEach((service, props) -> serviceProperties.put(service, Map.copyOf(props)));
        this.jvmOptions = options.jvmOptions;
        this.out = options.out;
        this.broker = options.broker == null ? null : options.broker.create(layout, workDir.resolve("kafka"), ports);
    }

    /** Starts everything, in dependency order, each waited for; on any failure stops what was started and throws. */
    public static LocalMesh start(Options options) {
        options.layout.requireModels(options.ports.tasks());
        options.ports.requireFree();
        LocalMesh mesh = new LocalMesh(options);
        Runtime.getRuntime().addShutdownHook(mesh.shutdownHook);
        try {
            mesh.startAll();
            return mesh;
        } catch (RuntimeException | Error e) {
            if (mesh.closing.get()) {
                // Ctrl-C while starting: the shutdown hook stops what runs; a child it stopped is no failure.
                throw new MeshStartException("stopped while starting");
            }
            mesh.failed.set(true);
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
        // The pods need no broker: every generator and verifier loads its models while the broker starts.
        long t0 = System.nanoTime();
        for (String task : tasks()) {
            MeshPorts.PodPorts pod = ports.pod(task);
            out.printf("Starting %s (HTTP %d, gRPC %d) and %s (HTTP %d, gRPC %d), models of %s ...%n",
                    podName(MeshService.GENERATOR, task), pod.generatorHttp(), pod.generatorGrpc(),
                    podName(MeshService.VERIFIER, task), pod.verifierHttp(), pod.verifierGrpc(), layout.taskModels(task));
            launch(MeshService.GENERATOR, task);
            launch(MeshService.VERIFIER, task);
        }
        if (broker != null) {
            out.printf("Starting Kafka (KRaft) on %s ...%n", broker.bootstrapServers());
            broker.start(readyTimeout);
            ready("Kafka broker", broker.process(), t0);
        }
        for (String task : tasks()) {
            for (MeshService s : new MeshService[] {MeshService.GENERATOR, MeshService.VERIFIER}) {
                awaitReady(s, task);
                ready(podName(s, task), service(s, task).child(), t0);
            }
        }
        // The orchestrator needs them all (its readiness probes every task's pods) and the broker.
        t0 = System.nanoTime();
        out.printf("Starting orchestrator (HTTP %d, gRPC %d) ...%n", ports.orchestratorHttp(), ports.orchestratorGrpc());
        launch(MeshService.ORCHESTRATOR, null);
        awaitReady(MeshService.ORCHESTRATOR, null);
        ready("orchestrator", orchestrator.child(), t0);
    }

    /** "generator" in a mesh of one task, "countdown generator" in one of several. */
    private String podName(MeshService service, String task) {
        return service == MeshService.ORCHESTRATOR || tasks().size() == 1 ? service.displayName() : task + " " + service.displayName();
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

    /** The broker; the mesh must have one. */
    public MeshBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("this mesh runs no broker");
        }
        return broker;
    }

    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** The tasks this mesh serves, in start order (the default task first where it runs). */
    public List<String> tasks() {
        return ports.tasks();
    }

    /** The orchestrator, or the first task's generator or verifier. */
    public ServiceProcess service(MeshService service) {
        return service(service, tasks().getFirst());
    }

    /** The orchestrator, or the generator or verifier of {@code task}. */
    public ServiceProcess service(MeshService service, String task) {
        if (service == MeshService.ORCHESTRATOR) {
            return orchestrator;
        }
        ports.pod(task); // names the tasks this mesh runs when it is not one of them
        return pods.getOrDefault(task, Map.of()).get(service);
    }

    /** Every child process: the broker (where the mesh runs one), each task's pods, the orchestrator. */
    public List<ChildProcess> children() {
        List<ChildProcess> all = new ArrayList<>();
        if (broker != null && broker.process() != null) {
            all.add(broker.process());
        }
        pods.values().forEach(p -> p.values().forEach(s -> all.add(s.child())));
        if (orchestrator != null) {
            all.add(orchestrator.child());
        }
        return all;
    }

    /**
     * Blocks until a child exits that was not stopped on purpose, and returns it; returns null instead once the mesh
     * is being closed (Ctrl-C: the children it stops then are no failure).
     */
    public ChildProcess awaitUnexpectedExit() throws InterruptedException {
        List<ChildProcess> watched = children();
        CompletableFuture<?>[] exits = watched.stream().map(c -> c.handle().onExit()).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.anyOf(exits).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        // Read after the exit was seen: a stop on purpose sets closing before the first child is stopped.
        if (closing.get()) {
            return null;
        }
        failed.set(true);
        return watched.stream().filter(c -> !c.isAlive()).findFirst().orElseThrow();
    }

    /** The orchestrator's, or the first task's generator's or verifier's HTTP base. */
    public URI httpBase(MeshService service) {
        return httpBase(service, tasks().getFirst());
    }

    public URI httpBase(MeshService service, String task) {
        int port = switch (service) {
            case GENERATOR -> ports.pod(task).generatorHttp();
            case VERIFIER -> ports.pod(task).verifierHttp();
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

    /** SIGKILLs the orchestrator, or the first task's generator or verifier (a crash: no shutdown hook of it runs). */
    public void kill(MeshService service) {
        service(service).child().kill();
    }

    /**
     * Starts the stopped or killed orchestrator, or the first task's generator or verifier, again with the same
     * configuration and waits until it is ready.
     */
    public void restart(MeshService service) {
        String task = service == MeshService.ORCHESTRATOR ? null : tasks().getFirst();
        ServiceProcess old = service(service, task);
        if (old != null && old.child().isAlive()) {
            throw new IllegalStateException(service.displayName() + " is still running");
        }
        launch(service, task);
        awaitReady(service, task);
    }

    /** Starts the orchestrator ({@code task} null) or a task's generator or verifier; none once the mesh is closing. */
    private void launch(MeshService service, String task) {
        if (closing.get()) {
            throw new MeshStartException("stopped while starting");
        }
        Map<String, String> props = new LinkedHashMap<>();
        int http;
        int grpc;
        switch (service) {
            case GENERATOR -> {
                http = ports.pod(task).generatorHttp();
                grpc = ports.pod(task).generatorGrpc();
                props.put("tts.generator.model-dir", layout.generatorModel(task).toString());
            }
            case VERIFIER -> {
                http = ports.pod(task).verifierHttp();
                grpc = ports.pod(task).verifierGrpc();
                props.put("tts.verifier.model.dir", layout.prmModel(task).toString());
                // The PRM of this pod was trained for this task: prm/orm/confidence serve it alone.
                props.put("tts.verifier.task", task);
            }
            case ORCHESTRATOR -> {
                http = ports.orchestratorHttp();
                grpc = ports.orchestratorGrpc();
                props.putAll(orchestratorPools(ports));
                props.put("tts.orchestrator.kafka.enabled", Boolean.toString(broker != null));
                if (broker != null) {
                    props.put("kafka.bootstrap.servers", broker.bootstrapServers());
                    // A killed orchestrator leaves its consumer-group membership behind until the session times
                    // out; keep that short on one machine so a restarted one takes the partitions over quickly.
                    props.put("mp.messaging.incoming.tts-requests.session.timeout.ms", "6000");
                    props.put("mp.messaging.incoming.tts-requests.heartbeat.interval.ms", "1000");
                }
                // The local mesh listens on loopback only (ServiceProcess); API keys guard the public API everywhere
                // else, and a benchmark must not be throttled by the per-key rate limits.
                props.put("tts.orchestrator.auth.enabled", "false");
            }
            default -> throw new IllegalArgumentException(service.toString());
        }
        props.putAll(serviceProperties.getOrDefault(service, Map.of()));
        String name = podName(service, task);
        JavaCommand java = new JavaCommand(layout.watchdogAgent(), workDir.resolve("tmp")).jvm(jvmOptions.toArray(String[]::new));
        ServiceProcess child = ServiceProcess.launch(name, layout.serviceJar(service), java, props, http, grpc,
                workDir.resolve(name.replace(' ', '-') + ".log"), workDir);
        // Restarts of different children may run at once (a chaos driver overlapping kills).
        lock.lock();
        try {
            if (service == MeshService.ORCHESTRATOR) {
                orchestrator = child;
            } else {
                pods.computeIfAbsent(task, t -> new EnumMap<>(MeshService.class)).put(service, child);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The orchestrator's pools: its default task ({@code tts.orchestrator.task}) is arithmetic when the mesh runs
     * it, else the mesh's first task ({@code --task countdown} alone: a Countdown-only orchestrator, where requests
     * naming no task are Countdown and arithmetic is refused); that task's pods under the keys without a task,
     * every other task's under {@code tts.orchestrator.tasks.<task>.*}.
     */
    static Map<String, String> orchestratorPools(MeshPorts ports) {
        Map<String, String> props = new LinkedHashMap<>();
        List<String> tasks = ports.tasks();
        String defaultTask = orchestratorDefaultTask(ports);
        props.put("tts.orchestrator.task", defaultTask);
        props.put("tts.orchestrator.generators.addresses", "localhost:" + ports.pod(defaultTask).generatorGrpc());
        props.put("tts.orchestrator.verifiers.addresses", "localhost:" + ports.pod(defaultTask).verifierGrpc());
        for (String task : tasks) {
            if (!task.equals(defaultTask)) {
                props.put("tts.orchestrator.tasks." + task + ".generators.addresses", "localhost:" + ports.pod(task).generatorGrpc());
                props.put("tts.orchestrator.tasks." + task + ".verifiers.addresses", "localhost:" + ports.pod(task).verifierGrpc());
            }
        }
        return props;
    }

    /**
     * The orchestrator's default task in a mesh of these ports: arithmetic where the mesh runs it, else its first
     * task. Its pools are the keys without a task ({@code tts.orchestrator.generators.addresses}).
     */
    public static String orchestratorDefaultTask(MeshPorts ports) {
        return ports.tasks().contains(TaskRegistry.DEFAULT) ? TaskRegistry.DEFAULT : ports.tasks().getFirst();
    }

    private void awaitReady(MeshService service, String task) {
        (service == MeshService.ORCHESTRATOR ? orchestrator : pods.get(task).get(service)).awaitReady(readyTimeout);
    }

    /**
     * Stops the orchestrator first (no new work), then the pods, then the broker, printing how each ended; removes the
     * work dir unless something failed (a child that exited by itself or had to be killed, a failed start), when the
     * logs are kept and their place printed. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closing.set(true);
            if (orchestratorChannel != null) {
                orchestratorChannel.shutdownNow();
                try {
                    orchestratorChannel.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            List<ChildProcess> children = children();
            if (!children.isEmpty()) {
                out.println("Stopping the mesh ...");
            }
            if (orchestrator != null) {
                report(orchestrator.child(), orchestrator.child().stop(STOP_GRACE));
            }
            // All pods at once: each gets its grace period, the launcher waits for the slowest only.
            List<ChildProcess> all = pods.values().stream().flatMap(p -> p.values().stream()).map(ServiceProcess::child).toList();
            all.forEach(ChildProcess::requestStop);
            all.forEach(p -> report(p, p.stop(STOP_GRACE)));
            if (broker != null && broker.process() != null) {
                report(broker.process(), broker.process().stop(BROKER_STOP_GRACE));
            }
            if (failed.get() || keepWorkDir) {
                if (Files.exists(workDir)) {
                    out.println((failed.get() ? "Something failed; the logs are kept in " : "Logs kept in ") + workDir);
                }
            } else {
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

    private void report(ChildProcess child, ChildProcess.Stop stop) {
        switch (stop.ending()) {
            case STOPPED -> out.printf("  %s stopped (%.1f s)%n", child.name(), stop.took().toMillis() / 1e3);
            case KILLED -> {
                failed.set(true);
                out.printf("  %s did not stop within %d s of SIGTERM: killed (log %s)%n", child.name(), STOP_GRACE.toSeconds(), child.log());
            }
            case EXITED_BEFORE -> {
                failed.set(true);
                out.printf("  %s had already exited with status %d (log %s)%n", child.name(), stop.status(), child.log());
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
        private MeshPorts ports = MeshPorts.defaults(List.of(TaskRegistry.DEFAULT));
        private Path workDir;
        private boolean keepWorkDir;
        private Duration readyTimeout = Duration.ofSeconds(180);
        private final Map<MeshService, Map<String, String>> serviceProperties = new EnumMap<>(MeshService.class);
        private List<String> jvmOptions = List.of();
        private MeshBroker.Factory broker;
        private PrintStream out = System.out;

        public Options(MeshLayout layout) {
            this.layout = layout;
        }

        /** The ports, and with them the tasks the mesh serves ({@link MeshPorts#pods()}). */
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

        /** A configuration property of every {@code service} of the mesh (over the mesh's own). */
        public Options serviceProperty(MeshService service, String key, String value) {
            serviceProperties.computeIfAbsent(service, s -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        /** JVM options every service starts with (besides the mesh's own: the watchdog agent, the temp dir); none by default. */
        public Options jvmOptions(List<String> options) {
            this.jvmOptions = List.copyOf(options);
            return this;
        }

        /** The broker of the orchestrator's Kafka plane; none (the default): the plane is off. */
        public Options broker(MeshBroker.Factory factory) {
            this.broker = factory;
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
