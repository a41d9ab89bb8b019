package io.ttsmesh.mesh.broker;

import io.ttsmesh.mesh.local.ChildProcess;
import io.ttsmesh.mesh.local.JavaCommand;
import io.ttsmesh.mesh.local.MeshBroker;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.local.MeshPorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker in KRaft combined mode (broker and controller in one process) as a child JVM, run
 * from the kafka_2.13 artifacts on the mesh's classpath: storage formatted once ({@code kafka.tools.StorageTool
 * format}), then {@code kafka.Kafka server.properties}. Its data stays in its directory across restarts.
 */
public final class KafkaBroker implements MeshBroker {

    /**
     * The broker logs through slf4j; of the two providers on the mesh's classpath, the JBoss log manager's (it comes
     * with the gRPC stack) swallows every line outside Quarkus, so the broker is told to use the simple logger, which
     * writes to its console, i.e. its log file.
     */
    public static final String SLF4J_PROVIDER_KEY = "slf4j.provider";
    public static final String SLF4J_SIMPLE = "org.slf4j.simple.SimpleServiceProvider";
    /** slf4j's own notes ("attempting to load provider ...") at WARN: only its problems. */
    public static final String SLF4J_VERBOSITY_KEY = "slf4j.internal.verbosity";
    private static final Map<String, String> LOGGING = Map.of(SLF4J_PROVIDER_KEY, SLF4J_SIMPLE, SLF4J_VERBOSITY_KEY, "WARN",
            "org.slf4j.simpleLogger.defaultLogLevel", "info",
            "org.slf4j.simpleLogger.showDateTime", "true",
            "org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");

    private final MeshLayout layout;
    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Path config;
    private ChildProcess process;

    public KafkaBroker(MeshLayout layout, Path dir, MeshPorts ports) {
        this.layout = layout;
        this.dir = dir;
        this.port = ports.kafka();
        this.controllerPort = ports.kafkaController();
        this.config = dir.resolve("server.properties");
    }

    @Override
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public ChildProcess process() {
        return process;
    }

    /** Writes the configuration, formats the storage and starts the broker; returns once it answers clients. */
    @Override
    public void start(Duration timeout) {
        writeConfig();
        JavaCommand format = new JavaCommand(layout.watchdogAgent(), tmp()).jvm("-Xmx256m")
                .properties(LOGGING);
        ChildProcess tool = ChildProcess.start("kafka storage format",
                format.main(layout.classpath(), "kafka.tools.StorageTool",
                        "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"),
                dir.resolve("format.log"), dir);
        tool.awaitSuccess(timeout);
        launch(timeout);
    }

    /** Starts the broker again on its existing storage (after a stop or {@link #kill}). */
    @Override
    public void restart(Duration timeout) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker is still running");
        }
        launch(timeout);
    }

    private void launch(Duration timeout) {
        JavaCommand java = new JavaCommand(layout.watchdogAgent(), tmp())
                .jvm("-Xmx512m", "-XX:+UseSerialGC")
                .properties(LOGGING);
        process = ChildProcess.start("kafka broker", java.main(layout.classpath(), "kafka.Kafka", config.toString()),
                dir.resolve("broker.log"), dir);
        awaitClients(timeout);
    }

    /** Ready = a client sees the cluster with this broker in it. */
    private void awaitClients(Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        Map<String, Object> props = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        String last = "no answer";
        try (Admin admin = Admin.create(props)) {
            while (System.nanoTime() < until) {
                if (!process.isAlive()) {
                    throw process.failure("exited before it answered clients");
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception notYet) {
                    last = String.valueOf(notYet.getMessage());
                }
                ChildProcess.pause(Duration.ofMillis(300));
            }
        }
        throw process.failure("did not answer on " + bootstrapServers() + " in " + timeout.toSeconds() + " s (" + last + ")");
    }

    private void writeConfig() {
        String properties = """
                # written by tts-mesh: one KRaft node, broker and controller in one process
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@localhost:%2$d
                listeners=PLAINTEXT://localhost:%1$d,CONTROLLER://localhost:%2$d
                advertised.listeners=PLAINTEXT://localhost:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%3$s
                num.partitions=6
                # one node: every internal topic has one replica; few partitions start fast
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=6
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                transaction.state.log.num.partitions=6
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                group.initial.rebalance.delay.ms=0
                """.formatted(port, controllerPort, dir.resolve("data").toAbsolutePath());
        try {
            Files.createDirectories(tmp());
            Files.writeString(config, properties);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + config, e);
        }
    }

    private Path tmp() {
        return dir.resolve("tmp");
    }
}
