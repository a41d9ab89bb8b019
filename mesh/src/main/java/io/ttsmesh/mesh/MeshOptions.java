package io.ttsmesh.mesh;

import io.ttsmesh.mesh.broker.KafkaBroker;
import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.local.MeshPorts;
import io.ttsmesh.task.TaskRegistry;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Command-line options for starting the developer mesh (with its Kafka broker): its tasks, ports, work directory, readiness timeout. */
public class MeshOptions {

    /** The value of {@code --task} that starts every registered task. */
    public static final String ALL_TASKS = "all";

    @Option(names = "--task", description = "the task(s) the mesh serves, each on its own generator and verifier with its "
            + "models: a task name (arithmetic, countdown), a comma-separated list, or all (default: arithmetic; "
            + "batch: the tasks of its question file)")
    String task;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka client port (default: ${DEFAULT-VALUE})")
    int kafka;
    @Option(names = "--kafka-controller-port", defaultValue = "9093", description = "Kafka KRaft controller port (default: ${DEFAULT-VALUE})")
    int kafkaController;
    @Option(names = "--generator-http-port", defaultValue = "8081", description = "the first task's; each further task's pods "
            + "take the first's ports + 2 (default: ${DEFAULT-VALUE})")
    int generatorHttp;
    @Option(names = "--generator-grpc-port", defaultValue = "9081", description = "(default: ${DEFAULT-VALUE})")
    int generatorGrpc;
    @Option(names = "--verifier-http-port", defaultValue = "8082", description = "(default: ${DEFAULT-VALUE})")
    int verifierHttp;
    @Option(names = "--verifier-grpc-port", defaultValue = "9082", description = "(default: ${DEFAULT-VALUE})")
    int verifierGrpc;
    @Option(names = "--orchestrator-http-port", defaultValue = "8080", description = "REST, OpenAI API, monitor (default: ${DEFAULT-VALUE})")
    int orchestratorHttp;
    @Option(names = "--orchestrator-grpc-port", defaultValue = "9080", description = "(default: ${DEFAULT-VALUE})")
    int orchestratorGrpc;

    @Option(names = "--work-dir", description = "logs, Kafka data, native libraries (default: a new temp dir, removed on exit)")
    Path workDir;
    @Option(names = "--keep-work-dir", description = "keep the work dir (logs, Kafka data) on exit")
    boolean keepWorkDir;
    @Option(names = "--ready-timeout", defaultValue = "180", description = "seconds each part may take to become ready (default: ${DEFAULT-VALUE})")
    int readyTimeoutSeconds;

    public Duration readyTimeout() {
        return Duration.ofSeconds(readyTimeoutSeconds);
    }

    /** Whether {@code --task} was given. */
    public boolean tasksGiven() {
        return task != null;
    }

    /**
     * The tasks {@code --task} names, the default task first where it is among them; {@code fallback} when it was not
     * given.
     *
     * @throws io.ttsmesh.task.InvalidQuestion on "task" for a name no task plug-in has
     */
    public List<String> tasks(TaskRegistry registry, List<String> fallback) {
        if (task == null) {
            return List.copyOf(fallback);
        }
        Set<String> names = new LinkedHashSet<>();
        if (task.strip().equals(ALL_TASKS)) {
            names.addAll(registry.names());
        } else {
            for (String name : task.split(",")) {
                names.add(registry.get(name.strip()).name());
            }
        }
        List<String> ordered = new ArrayList<>(names);
        if (ordered.remove(TaskRegistry.DEFAULT)) {
            ordered.addFirst(TaskRegistry.DEFAULT);
        }
        return ordered;
    }

    public MeshPorts ports(List<String> tasks) {
        return MeshPorts.of(kafka, kafkaController, orchestratorHttp, orchestratorGrpc,
                new MeshPorts.PodPorts(generatorHttp, generatorGrpc, verifierHttp, verifierGrpc), tasks);
    }

    public LocalMesh.Options toOptions(MeshLayout layout, List<String> tasks) {
        LocalMesh.Options options = new LocalMesh.Options(layout).ports(ports(tasks)).broker(KafkaBroker::new)
                .readyTimeout(Duration.ofSeconds(readyTimeoutSeconds));
        if (workDir != null) {
            options.workDir(workDir.toAbsolutePath(), true);
        } else if (keepWorkDir) {
            try {
                options.workDir(java.nio.file.Files.createTempDirectory("tts-mesh-"), true);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return options;
    }
}
