package io.ttsmesh.bench.mesh;

import io.ttsmesh.bench.BenchJson;
import io.ttsmesh.proto.orchestrator.MethodInfo;
import io.ttsmesh.proto.orchestrator.ParamInfo;
import io.ttsmesh.mesh.local.LocalMesh;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code tts-bench mesh-overhead}: what running a search through the mesh costs over running it in-process.
 * Both paths live in one run (the services as child JVMs, the engines in this JVM) and take turns per
 * question, so the shared machine's noise falls on both alike.
 */
@Command(name = "mesh-overhead", mixinStandardHelpOptions = true,
        description = "Wall time per search through the mesh (three processes, gRPC) vs in-process library mode, "
                + "every catalog strategy at N; writes mesh-overhead.md and .json.")
public final class MeshOverheadBenchmark implements Callable<Integer> {

    @Mixin
    MeshBenchOptions options;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--n", defaultValue = "16", description = "Compute size N of every strategy (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--questions", defaultValue = "12", description = "Held-out questions measured (default: ${DEFAULT-VALUE}).")
    int questions;

    @Option(names = "--warmup", defaultValue = "1",
            description = "Further questions run per strategy both ways before measuring, not counted (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--strategies", split = ",",
            description = "Only these catalog strategies (default: all the orchestrator offers).")
    List<String> only;

    @Option(names = "--max-minutes", defaultValue = "9",
            description = "Stop after the question during which this much time has passed; the report says so (default: ${DEFAULT-VALUE}).")
    double maxMinutes;

    @Option(names = "--goal", defaultValue = "1.15", description = "Goal: mesh/in-process at most this (default: ${DEFAULT-VALUE}).")
    double goal;

    /** Generous hard bounds: the benchmark measures searches that run to their end, not budget stops. */
    static final Budget BUDGET = new Budget(200_000, 20_000, Duration.ofSeconds(300));

    @Override
    public Integer call() throws Exception {
        options.check();
        if (n < 1 || warmup < 0 || maxMinutes <= 0) {
            throw new IllegalArgumentException("--n must be >= 1, --warmup >= 0, --max-minutes > 0");
        }
        Instant started = Instant.now();
        long deadline = System.nanoTime() + (long) (maxMinutes * 60e9);
        List<Question> drawn = options.questions(questions + warmup);
        List<Question> warm = drawn.subList(questions, drawn.size());
        List<Question> measured = drawn.subList(0, questions);
        Files.createDirectories(options.out);

        try (MachineLoad load = MachineLoad.start()) {
            System.out.printf("mesh-overhead: starting generator, verifier and orchestrator (logs in %s)%n",
                    options.logs.resolve("mesh-overhead"));
            try (LocalMesh mesh = options.startMesh("mesh-overhead");
                 MeshPath viaMesh = new MeshPath(mesh.ports().orchestratorGrpc());
                 LibraryPath inProcess = new LibraryPath(options.models(), options.threads)) {
                List<StrategyOverhead.Tally> tallies = strategies(viaMesh, inProcess);
                System.out.printf("strategies at N = %d: %s%n", n, tallies.stream().map(t -> t.spec().name()).toList());

                for (int w = 0; w < warm.size(); w++) {
                    for (StrategyOverhead.Tally t : tallies) {
                        SearchRequest r = request("warm" + w, warm.get(w), t.spec(), w);
                        viaMesh.solve(withId(r, "mesh"));
                        inProcess.solve(withId(r, "lib"));
                    }
                    System.out.printf("warm-up %d/%d done%n", w + 1, warm.size());
                }

                int done = 0;
                for (int q = 0; q < measured.size(); q++) {
                    Question question = measured.get(q);
                    StringBuilder line = new StringBuilder();
                    for (int s = 0; s < tallies.size(); s++) {
                        StrategyOverhead.Tally t = tallies.get(s);
                        SearchRequest r = request("q" + q, question, t.spec(), warm.size() + q);
                        SearchOutcome m;
                        SearchOutcome l;
                        if ((q + s) % 2 == 0) {
                            m = viaMesh.solve(withId(r, "mesh"));
                            l = inProcess.solve(withId(r, "lib"));
                        } else {
                            l = inProcess.solve(withId(r, "lib"));
                            m = viaMesh.solve(withId(r, "mesh"));
                        }
                        t.add(question.id(), m, l);
                        line.append(String.format(Locale.ROOT, " %s %.0f/%.0f", t.spec().name(), m.wallNanos() / 1e6,
                                l.wallNanos() / 1e6));
                    }
                    done++;
                    System.out.printf(Locale.ROOT, "question %d/%d (%s) ms mesh/in-process:%s | load %.2f%n", done,
                            measured.size(), question.id(), line, MachineLoad.now());
                    if (System.nanoTime() > deadline && done < measured.size()) {
                        System.out.printf("time limit of %.1f min reached: stopping after %d questions%n", maxMinutes, done);
                        break;
                    }
                }
                RunContext context = new RunContext(command(), started, Duration.between(started, Instant.now()),
                        MachineFacts.here(), load.summary(), options.threads);
                OverheadReport report = new OverheadReport(context, n, measured.size(), done, warm.size(), options.seed,
                        goal, tallies.stream().map(StrategyOverhead.Tally::result).toList());
                write(report);
                System.out.printf(Locale.ROOT, "overall mesh/in-process %.3fx (goal <= %.2fx); %d of %d strategies within it%n",
                        report.overallRatio(), goal, report.strategiesMeetingGoal(), report.strategies().size());
            }
        }
        return 0;
    }

    /** The orchestrator's catalog, sized at N, checked against the library's (both must offer the same). */
    private List<StrategyOverhead.Tally> strategies(MeshPath viaMesh, LibraryPath inProcess) {
        List<MethodInfo> offered = viaMesh.catalog().getStrategiesList();
        Set<String> library = new TreeSet<>(inProcess.catalog().strategies().stream().map(i -> i.name()).toList());
        List<StrategyOverhead.Tally> out = new ArrayList<>();
        for (MethodInfo info : offered) {
            if (only != null && !only.contains(info.getName())) {
                continue;
            }
            if (!library.contains(info.getName())) {
                throw new IllegalStateException("the orchestrator offers " + info.getName() + " but the library does not: "
                        + "the jars and this benchmark were built from different sources");
            }
            out.add(new StrategyOverhead.Tally(StrategySizing.at(info.getName(),
                    info.getParamsList().stream().map(ParamInfo::getName).toList(), n)));
        }
        if (only != null) {
            for (String name : only) {
                if (out.stream().noneMatch(t -> t.spec().name().equals(name))) {
                    throw new IllegalArgumentException("--strategies: the orchestrator offers no " + name);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no strategies to measure");
        }
        return out;
    }

    private SearchRequest request(String tag, Question q, MethodSpec strategy, int index) {
        long seed = options.seed + index;
        return new SearchRequest("ovh-" + strategy.name().replace('_', '-') + "-" + tag, q.question(), strategy, List.of(), BUDGET,
                new SamplingParams(null, null, null, seed, 0), "", Aggregation.LAST);
    }

    private static SearchRequest withId(SearchRequest r, String mode) {
        return new SearchRequest(r.requestId() + "-" + mode, r.question(), r.strategy(), r.policies(), r.budget(),
                r.sampling(), r.verifier(), r.aggregation());
    }

    private String command() {
        return "java --enable-native-access=ALL-UNNAMED -jar bench/target/tts-bench.jar "
                + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    private void write(OverheadReport report) throws Exception {
        Files.writeString(options.out.resolve("mesh-overhead.md"), report.markdown());
        Files.writeString(options.out.resolve("mesh-overhead.json"),
                BenchJson.PRETTY.writeValueAsString(report.json(BenchJson.MAPPER)) + "\n");
        System.out.println("wrote " + options.out.resolve("mesh-overhead.md") + " and .json");
    }
}
