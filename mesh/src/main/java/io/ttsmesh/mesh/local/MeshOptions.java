package io.ttsmesh.mesh.local;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** Command-line options for starting a local mesh: ports, work directory, readiness timeout. */
public class MeshOptions {

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka client port (default: ${DEFAULT-VALUE})")
    int kafka;
    @Option(names = "--kafka-controller-port", defaultValue = "9093", description = "Kafka KRaft controller port (default: ${DEFAULT-VALUE})")
    int kafkaController;
    @Option(names = "--generator-http-port", defaultValue = "8081", description = "(default: ${DEFAULT-VALUE})")
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

    public MeshPorts ports() {
        return new MeshPorts(kafka, kafkaController, generatorHttp, generatorGrpc, verifierHttp, verifierGrpc, orchestratorHttp, orchestratorGrpc);
    }

    public LocalMesh.Options toOptions(MeshLayout layout) {
        LocalMesh.Options options = new LocalMesh.Options(layout).ports(ports()).readyTimeout(Duration.ofSeconds(readyTimeoutSeconds));
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
