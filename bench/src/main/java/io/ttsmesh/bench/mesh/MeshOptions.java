package io.ttsmesh.bench.mesh;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options both mesh benchmarks share: where the models, the service jars and the results are. Paths are relative to the repository root. */
final class MeshOptions {

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

    @Option(names = "--seed", defaultValue = "20261123",
            description = "Seed of the question subset and of the searches' sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "bench/results",
            description = "Results folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--logs", defaultValue = "bench/target/mesh-logs",
            description = "Where the services' logs go, one folder per benchmark (default: ${DEFAULT-VALUE}).")
    Path logs;

    Path models() {
        return models;
    }

    Path generatorJar() {
        return generatorJar;
    }

    Path verifierJar() {
        return verifierJar;
    }

    Path orchestratorJar() {
        return orchestratorJar;
    }

    Path questions() {
        return models.resolve("eval/heldout.jsonl");
    }

    void check() {
        if (threads < 0) {
            throw new IllegalArgumentException("--threads must be >= 0 (0: ONNX Runtime's choice), got " + threads);
        }
    }
}
