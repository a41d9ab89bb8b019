package io.ttsmesh.bench.mesh;

import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.local.MeshPorts;
import io.ttsmesh.mesh.local.MeshService;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;
import io.ttsmesh.task.TaskRegistry;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Options both mesh benchmarks share: where the models, the service jars and the results are. Paths are relative to the repository root. */
final class MeshBenchOptions {

    @Option(names = "--models", defaultValue = "models",
            description = "Models folder with generator/, prm/ and eval/heldout.jsonl (default: ${DEFAULT-VALUE}).")
    Path models;

    @Option(names = "--generator-jar", defaultValue = "generator-service/app/target/quarkus-app/quarkus-run.jar",
            description = "Built generator service (default: ${DEFAULT-VALUE}).")
    Path generatorJar;

    @Option(names = "--verifier-jar", defaultValue = "verifier-service/app/target/quarkus-app/quarkus-run.jar",
            description = "Built verifier service (default: ${DEFAULT-VALUE}).")
    Path verifierJar;

    @Option(names = "--orchestrator-jar", defaultValue = "orchestrator-service/app/target/quarkus-app/quarkus-run.jar",
            description = "Built orchestrator service (default: ${DEFAULT-VALUE}).")
    Path orchestratorJar;

    @Option(names = "--threads", defaultValue = "1",
            description = "ONNX Runtime intra-op threads of the generator and of the verifier, in both modes (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--score-ahead", defaultValue = "true", arity = "1",
            description = "Whether searches score half of a round's samples (or of a step's branches) while the others "
                    + "still generate (tts.orchestrator.search.score-ahead), in both modes (default: ${DEFAULT-VALUE}).")
    boolean scoreAhead;

    @Option(names = "--seed", defaultValue = "20261123",
            description = "Seed of the question subset and of the searches' sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "bench/results",
            description = "Results folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--logs", defaultValue = "bench/target/mesh-logs",
            description = "Where the services' logs go, one folder per benchmark (default: ${DEFAULT-VALUE}).")
    Path logs;

    private static final Duration READY = Duration.ofSeconds(240);

    Path models() {
        return models;
    }

    /** {@code count} held-out questions drawn without replacement, the same for the same seed. */
    List<Question> questions(int count) {
        return QuestionFile.sample(models.resolve("eval/heldout.jsonl"), count, seed);
    }

    void check() {
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be >= 0 (0: ONNX Runtime's choice), got " + threads);
        }
    }

    /**
     * The generator, verifier and orchestrator of the default task as child processes on free loopback ports, the
     * orchestrator's Kafka plane off, with this JVM's JIT thresholds ({@link JitThresholds}); their logs (kept) in
     * {@code --logs}/{@code benchmark}.
     */
    LocalMesh startMesh(String benchmark) {
        MeshLayout layout = MeshLayout.locate().withModels(models)
                .withServiceJar(MeshService.GENERATOR, generatorJar)
                .withServiceJar(MeshService.VERIFIER, verifierJar)
                .withServiceJar(MeshService.ORCHESTRATOR, orchestratorJar);
        return new LocalMesh.Options(layout).ports(MeshPorts.free(List.of(TaskRegistry.DEFAULT)))
                .workDir(logs.resolve(benchmark).toAbsolutePath(), true).readyTimeout(READY)
                .serviceProperty(MeshService.GENERATOR, "tts.generator.intra-op-threads", Integer.toString(threads))
                .serviceProperty(MeshService.GENERATOR, "tts.generator.instance", "bench-generator")
                .serviceProperty(MeshService.VERIFIER, "tts.verifier.model.intra-op-threads", Integer.toString(threads))
                .serviceProperty(MeshService.VERIFIER, "tts.verifier.instance", "bench-verifier")
                .serviceProperty(MeshService.ORCHESTRATOR, "tts.orchestrator.search.score-ahead", Boolean.toString(scoreAhead))
                .jvmOptions(JitThresholds.ofThisJvm().jvmOptions())
                .start();
    }
}
