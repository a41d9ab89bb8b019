package io.ttsmesh.bench.mesh;

import io.ttsmesh.bench.BenchJson;
import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshService;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code tts-bench mesh-load}: completed searches per second through the mesh as concurrent clients grow.
 * The generator decodes the branches of all searches in one batch per step, so throughput should grow with
 * concurrency until the machine's cores are saturated.
 */
@Command(name = "mesh-load", mixinStandardHelpOptions = true,
        description = "Throughput and latency of beam search through the mesh at 1, 4, 16 and 64 concurrent clients; "
                + "writes mesh-load.md and .json.")
public final class MeshLoadBenchmark implements Callable<Integer> {

    @Mixin
    MeshBenchOptions options;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--clients", split = ",", defaultValue = "1,4,16,64",
            description = "Concurrency levels, in order (default: ${DEFAULT-VALUE}).")
    List<Integer> clients;

    @Option(names = "--window-s", defaultValue = "40", description = "Measuring window per level in seconds (default: ${DEFAULT-VALUE}).")
    double windowSeconds;

    @Option(names = "--warmup-s", defaultValue = "15",
            description = "Warm-up at 4 clients before the first level, not counted (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--n", defaultValue = "8", description = "Beam search n (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--questions", defaultValue = "20", description = "Held-out questions the clients loop over (default: ${DEFAULT-VALUE}).")
    int questions;

    @Option(names = "--goal-clients", defaultValue = "16", description = "Level compared with 1 client (default: ${DEFAULT-VALUE}).")
    int goalClients;

    @Option(names = "--goal", defaultValue = "4", description = "Goal: throughput(goal-clients)/throughput(1) at least this (default: ${DEFAULT-VALUE}).")
    double goal;

    /** Searches run to their end; the deadline only bounds a stuck one. */
    static final Budget BUDGET = new Budget(200_000, 20_000, Duration.ofSeconds(300));

    @Override
    public Integer call() throws Exception {
        options.check();
        if (n < 1 || windowSeconds <= 0 || warmupSeconds < 0 || clients.isEmpty() || clients.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("--n >= 1, --window-s > 0, --warmup-s >= 0 and --clients >= 1 each");
        }
        Instant started = Instant.now();
        List<Question> qs = options.questions(questions);
        MethodSpec strategy = MethodSpec.of("beam_search", Map.of("n", Integer.toString(n)));
        Files.createDirectories(options.out);
        try (MachineLoad load = MachineLoad.start()) {
            System.out.printf("mesh-load: starting generator, verifier and orchestrator (logs in %s)%n",
                    options.logs.resolve("mesh-load"));
            try (LocalMesh mesh = options.startMesh("mesh-load");
                 MeshPath viaMesh = new MeshPath(mesh.ports().orchestratorGrpc())) {
                AtomicLong counter = new AtomicLong();
                if (warmupSeconds > 0) {
                    System.out.printf(Locale.ROOT, "warm-up: 4 clients for %.0f s%n", warmupSeconds);
                    runLevel(viaMesh, mesh, strategy, qs, 4, warmupSeconds, counter);
                }
                List<LoadLevel> levels = new ArrayList<>();
                for (int c : clients) {
                    LoadLevel level = runLevel(viaMesh, mesh, strategy, qs, c, windowSeconds, counter);
                    levels.add(level);
                    System.out.printf(Locale.ROOT, "%d clients: %.2f searches/s (%d in %.0f s), p50 %.0f ms, p99 %.0f ms, "
                                    + "rejected %d, failed %d, generator rows/step %.1f | load %.2f%n",
                            c, level.run().throughput(), level.run().completedInWindow(), windowSeconds, level.run().latency().p50Ms(),
                            level.run().latency().p99Ms(), level.run().rejected(), level.run().failed(), level.batchRowsMean(), MachineLoad.now());
                }
                RunContext context = new RunContext(command(), started, Duration.between(started, Instant.now()),
                        MachineFacts.here(), load.summary(), options.threads);
                LoadReport report = new LoadReport(context, strategy, qs.size(), options.seed, windowSeconds, goalClients, goal,
                        levels);
                Files.writeString(options.out.resolve("mesh-load.md"), report.markdown());
                Files.writeString(options.out.resolve("mesh-load.json"),
                        BenchJson.PRETTY.writeValueAsString(report.json(BenchJson.MAPPER)) + "\n");
                System.out.printf(Locale.ROOT, "throughput(%d)/throughput(1) = %.2fx (goal >= %.1fx); wrote %s and .json%n",
                        goalClients, report.speedup(), goal, options.out.resolve("mesh-load.md"));
            }
        }
        return 0;
    }

    private LoadLevel runLevel(MeshPath viaMesh, LocalMesh mesh, MethodSpec strategy, List<Question> qs, int c,
                               double seconds, AtomicLong counter) throws InterruptedException {
        GeneratorCounters before = GeneratorCounters.read(mesh.service(MeshService.GENERATOR));
        LoadRun run = LoadDriver.run(viaMesh, c, seconds, (client, k, seq) -> {
            long id = counter.incrementAndGet();
            Question q = qs.get((client + k * c) % qs.size());
            return new SearchRequest("load-c" + c + "-" + id, q.question(), strategy, List.of(), BUDGET,
                    new SamplingParams(null, null, null, options.seed + id, 0), "", Aggregation.LAST);
        }, CpuClock.services(mesh), CpuClock.compilerThreadsOf(mesh), BUDGET.deadline().plusSeconds(60));
        GeneratorCounters after = GeneratorCounters.read(mesh.service(MeshService.GENERATOR));
        return new LoadLevel(run, after.batchRowsMeanSince(before),
                (after.generatedTokens() - before.generatedTokens()) / run.levelSeconds());
    }

    private String command() {
        return JitThresholds.ofThisJvm().javaCommand() + " --enable-native-access=ALL-UNNAMED -jar bench/target/tts-bench.jar "
                + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }
}
