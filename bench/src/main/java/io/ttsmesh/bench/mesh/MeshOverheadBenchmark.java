package io.ttsmesh.bench.mesh;

import io.ttsmesh.bench.BenchJson;
import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshService;
import io.ttsmesh.mesh.local.ServiceProcess;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.proto.orchestrator.MethodInfo;
import io.ttsmesh.proto.orchestrator.ParamInfo;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code tts-bench mesh-overhead}: what running a search through the mesh costs over running it in-process.
 * Both paths live in one run (the services as child JVMs, the engines in this JVM) and take turns, so the
 * shared machine's noise falls on both alike. Cold searches are reported apart; the steady state is measured
 * only after thousands of warm-up searches per path and rounds that show both paths settled; throughput is
 * compared per CPU-second of the processes doing the work.
 */
@Command(name = "mesh-overhead", mixinStandardHelpOptions = true,
        description = "Mesh (three processes, gRPC) vs in-process library mode: cold searches, warm-up until steady, "
                + "steady state per catalog strategy at N with round trips, throughput per CPU-second at growing "
                + "concurrency; writes mesh-overhead.md, .json, .png and -bulk.png.")
public final class MeshOverheadBenchmark implements Callable<Integer> {

    @Mixin
    MeshBenchOptions options;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--n", defaultValue = "16", description = "Compute size N of every strategy (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--questions", defaultValue = "20",
            description = "Held-out questions measured in the steady state, per strategy, each its own (default: ${DEFAULT-VALUE}).")
    int questions;

    @Option(names = "--cold", defaultValue = "20",
            description = "Cold searches per path right after start, strategies in rotation (default: ${DEFAULT-VALUE}).")
    int cold;

    @Option(names = "--max-rounds", defaultValue = "200",
            description = "Warm-up round cap (default: ${DEFAULT-VALUE}).")
    int maxRounds;

    @Option(names = "--warmup-minutes", defaultValue = "3",
            description = "Warm-up time cap in minutes (default: ${DEFAULT-VALUE}).")
    double warmupMinutes;

    @Option(names = "--warmup-searches", defaultValue = "3000",
            description = "Before the warm-up rounds: searches per path run by --warmup-clients concurrent clients, every "
                    + "strategy in turn, so that code run once per search is compiled (it takes thousands of searches); "
                    + "at most 2/3 of --warmup-minutes; 0: none (default: ${DEFAULT-VALUE}).")
    int warmupSearches;

    @Option(names = "--warmup-clients", defaultValue = "4",
            description = "Concurrent clients of the bulk warm-up (default: ${DEFAULT-VALUE}).")
    int warmupClients;

    @Option(names = "--strategies", split = ",",
            description = "Only these catalog strategies (default: all the orchestrator offers).")
    List<String> only;

    @Option(names = "--max-minutes", defaultValue = "10",
            description = "Time for the whole run; steady-state questions and throughput levels that would pass it are "
                    + "cut and the report says so (default: ${DEFAULT-VALUE}).")
    double maxMinutes;

    @Option(names = "--goal", defaultValue = "1.10",
            description = "Goal: steady mesh/in-process at most this per strategy (default: ${DEFAULT-VALUE}).")
    double goal;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,4,16,64",
            description = "Concurrent searches per throughput level, in order (default: ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--window-s", defaultValue = "15",
            description = "Measuring window per throughput level and path in seconds (default: ${DEFAULT-VALUE}).")
    double windowSeconds;

    @Option(names = "--level-warmup-s", defaultValue = "3",
            description = "Warm-up slice per throughput level and path at its concurrency, not counted; repeated until the "
                    + "JIT compiler threads took under 3%% of a slice's CPU (default: ${DEFAULT-VALUE}).")
    double levelWarmupSeconds;

    @Option(names = "--level-warmup-max-s", defaultValue = "30",
            description = "Most warm-up per throughput level and path, whatever the JIT still does (default: ${DEFAULT-VALUE}).")
    double levelWarmupMaxSeconds;

    @Option(names = "--load-strategy", defaultValue = "beam_search",
            description = "The strategy of the throughput phase, at N (default: ${DEFAULT-VALUE}).")
    String loadStrategy;

    @Option(names = "--goal-concurrency", defaultValue = "16",
            description = "Level the per-CPU-second goal is read at (default: ${DEFAULT-VALUE}).")
    int goalConcurrency;

    @Option(names = "--goal-pairs", defaultValue = "3",
            description = "Window pairs (mesh, in-process) at the goal's level, its own included; the goal is read over all "
                    + "of them pooled (default: ${DEFAULT-VALUE}).")
    int goalPairs;

    @Option(names = "--cpu-goal", defaultValue = "0.8",
            description = "Goal: mesh/in-process searches per CPU-second at least this (default: ${DEFAULT-VALUE}).")
    double cpuGoal;

    /** Generous hard bounds: the benchmark measures searches that run to their end, not budget stops. */
    static final Budget BUDGET = new Budget(200_000, 20_000, Duration.ofSeconds(300));
    /** Warm-up questions rotated through the rounds. */
    private static final int WARMUP_QUESTIONS = 20;
    /** Seed offsets of the phases, so no two searches of a run share a seed. */
    private static final long COLD_SEEDS = 1_000_000;
    private static final long WARMUP_SEEDS = 2_000_000;
    private static final long LOAD_SEEDS = 3_000_000;
    private static final long BULK_SEEDS = 4_000_000;
    /** Seeds a throughput window pair may use (far more searches than a window runs), and the warm-ups' window. */
    private static final long SEEDS_PER_WINDOW = 50_000;
    private static final int WARMUP_WINDOW = 0;
    /** A bulk warm-up slice per path, seconds: short enough for the time cap to bind, long enough to show a trend. */
    private static final double BULK_SLICE_S = 10;
    /** The bulk warm-up's share of --warmup-minutes: the rounds until steady get the rest. */
    private static final double BULK_SHARE = 2.0 / 3;
    /** Time a throughput level takes beyond its warm-up and window (the drain, the switch of path), for planning. */
    private static final double LEVEL_SLACK_S = 3;
    /**
     * A path is warm at a level once its JVMs' compiler threads take less than this share of a warm-up slice's CPU,
     * and the warm-up rounds are steady only under it ({@link SteadyRule}): before that, a window would measure
     * compilation (in four JVMs on the mesh path, one in-process), not the steady state.
     */
    static final double JIT_QUIET = 0.03;
    /** How long a level waits for the searches started in its window to end. */
    private static final Duration DRAIN = BUDGET.deadline().plusSeconds(60);

    @Override
    public Integer call() throws Exception {
        options.check();
        if (n < 1 || questions < 1 || cold < 0 || maxRounds < SteadyRule.WINDOW || warmupMinutes <= 0 || maxMinutes <= 0
                || windowSeconds <= 0 || levelWarmupSeconds < 0 || levelWarmupMaxSeconds < levelWarmupSeconds
                || concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1) || warmupSearches < 0 || warmupClients < 1
                || goalPairs < 1) {
            throw new IllegalArgumentException("--n, --questions >= 1, --cold >= 0, --max-rounds >= " + SteadyRule.WINDOW
                    + ", --warmup-minutes, --max-minutes, --window-s > 0, --level-warmup-s >= 0, "
                    + "--level-warmup-max-s >= --level-warmup-s, --concurrency >= 1 each, --warmup-searches >= 0, "
                    + "--warmup-clients >= 1, --goal-pairs >= 1");
        }
        Instant started = Instant.now();
        long deadline = System.nanoTime() + (long) (maxMinutes * 60e9);
        Files.createDirectories(options.out);
        List<String> cut = new ArrayList<>();

        try (MachineLoad load = MachineLoad.start()) {
            System.out.printf("mesh-overhead: starting generator, verifier and orchestrator (logs in %s)%n",
                    options.logs.resolve("mesh-overhead"));
            try (LocalMesh mesh = options.startMesh("mesh-overhead");
                 MeshPath viaMesh = new MeshPath(mesh.ports().orchestratorGrpc());
                 LibraryPath inProcess = new LibraryPath(options.models(), options.threads, options.scoreAhead)) {
                Map<String, MethodSpec> catalog = strategies(viaMesh, inProcess);
                List<MethodSpec> specs = catalog.values().stream()
                        .filter(s -> only == null || only.contains(s.name())).toList();
                MethodSpec loadSpec = catalog.get(loadStrategy);
                if (loadSpec == null) {
                    throw new IllegalArgumentException("--load-strategy: the orchestrator offers no " + loadStrategy);
                }
                System.out.printf("strategies at N = %d: %s%n", n, specs.stream().map(MethodSpec::name).toList());
                // Each strategy its own steady-state questions: the test-bed model samples many of the same steps for a
                // question whatever the strategy, and a strategy measured after another on the same question would find
                // them in the verifier's cache, which no search on a fresh question does.
                List<Question> drawn = options.questions(cold + WARMUP_QUESTIONS + questions * specs.size());
                List<Question> coldQuestions = drawn.subList(0, cold);
                List<Question> warmQuestions = drawn.subList(cold, cold + WARMUP_QUESTIONS);
                List<List<Question>> measured = new ArrayList<>();
                for (int s = 0; s < specs.size(); s++) {
                    int from = cold + WARMUP_QUESTIONS + s * questions;
                    measured.add(drawn.subList(from, from + questions));
                }
                int loadIndex = Math.max(0, specs.indexOf(loadSpec));

                ColdStart coldStart = coldStart(specs, coldQuestions, viaMesh, inProcess);
                ServiceReadings readings = new ServiceReadings(mesh);
                WarmupCurve curve = warmUp(specs, warmQuestions, viaMesh, inProcess, mesh, readings, deadline);

                // The throughput phase is planned in: the steady state stops early rather than crowding it out.
                double loadSeconds = concurrency.size() * 2 * (windowSeconds + levelWarmupMaxSeconds + LEVEL_SLACK_S)
                        + (goalPairs - 1) * 2 * (windowSeconds + LEVEL_SLACK_S);
                long steadyDeadline = deadline - (long) (loadSeconds * 1e9);
                List<StrategyOverhead.Tally> tallies = specs.stream().map(StrategyOverhead.Tally::new).toList();
                JitShare.Since steadyServices = servicesJit(mesh);
                JitShare.Since steadyThisJvm = thisJvmJit();
                int done = steadyState(tallies, measured, viaMesh, inProcess, readings, steadyDeadline);
                JitShare steadyServicesJit = steadyServices.now();
                JitShare steadyThisJvmJit = steadyThisJvm.now();
                System.out.printf(Locale.ROOT, "steady state: JIT compiler threads took %.1f%% of the services' CPU, %.1f%% "
                        + "of this JVM's%n", 100 * steadyServicesJit.share(), 100 * steadyThisJvmJit.share());
                if (done < questions) {
                    cut.add(String.format(Locale.ROOT, "steady state after %d of %d questions", done, questions));
                }
                List<CpuPair> repeats = new ArrayList<>();
                List<ThroughputLevel> levels = throughput(loadSpec, measured.get(loadIndex), viaMesh, inProcess, mesh,
                        deadline, cut, repeats);

                RunContext context = new RunContext(command(), started, Duration.between(started, Instant.now()),
                        MachineFacts.here(), load.summary(), options.threads);
                OverheadReport report = new OverheadReport(context, n, options.seed, goal, coldStart, curve, questions,
                        done, steadyServicesJit, steadyThisJvmJit, tallies.stream().map(StrategyOverhead.Tally::result).toList(),
                        new OverheadReport.Throughput(loadSpec, windowSeconds, levelWarmupSeconds, levelWarmupMaxSeconds,
                                goalConcurrency, cpuGoal, levels, repeats), maxMinutes, cut);
                write(report);
                System.out.printf(Locale.ROOT, "steady: overall mesh/in-process %.3fx, %d of %d strategies <= %.2fx; "
                                + "per CPU-s at %d: %.3fx (goal >= %.2fx); cold %.3fx%n", report.overallRatio(),
                        report.strategiesMeetingGoal(), report.strategies().size(), goal, goalConcurrency,
                        report.throughput().perCpuSecondRatioAtGoal(), cpuGoal, coldStart.overallRatio());
            }
        }
        return 0;
    }

    /** Phase 1: the first searches of both paths, strategies in rotation, same question and seed both ways. */
    private ColdStart coldStart(List<MethodSpec> specs, List<Question> qs, MeshPath viaMesh, LibraryPath inProcess)
            throws InterruptedException {
        Map<String, StrategyOverhead.Tally> tallies = new LinkedHashMap<>();
        for (int i = 0; i < qs.size(); i++) {
            MethodSpec strategy = specs.get(i % specs.size());
            SearchRequest r = request("cold" + i, qs.get(i), strategy, COLD_SEEDS + i);
            Pair pair = pair(r, viaMesh, inProcess, i % 2 == 0, null);
            tallies.computeIfAbsent(strategy.name(), k -> new StrategyOverhead.Tally(strategy))
                    .add(qs.get(i).id(), pair.mesh(), pair.inProcess());
            System.out.printf(Locale.ROOT, "cold %d/%d %s ms mesh/in-process %.0f/%.0f%n", i + 1, qs.size(), strategy.name(),
                    pair.mesh().wallNanos() / 1e6, pair.inProcess().wallNanos() / 1e6);
        }
        return new ColdStart(qs.size(), tallies.values().stream().map(StrategyOverhead.Tally::result).toList());
    }

    /**
     * Phase 2: the bulk warm-up ({@link BulkWarmup}), then rounds of every strategy once per path until
     * {@link SteadyRule} holds or a cap is hit. Strategy s asks warm-up question s in every round, with a new seed
     * each round: the round totals then vary with the samples and the machine, not with which questions came up
     * (which alone moved them by 10-20% a round), and no verifier cache answers a repeat.
     */
    private WarmupCurve warmUp(List<MethodSpec> specs, List<Question> pool, MeshPath viaMesh, LibraryPath inProcess,
                               LocalMesh mesh, ServiceReadings readings, long runDeadline) throws InterruptedException {
        long capNanos = Math.min(runDeadline, System.nanoTime() + (long) (warmupMinutes * 60e9));
        BulkWarmup bulk = bulkWarmup(specs, pool, viaMesh, inProcess, mesh,
                System.nanoTime() + (long) (BULK_SHARE * warmupMinutes * 60e9));
        long start = System.nanoTime();
        List<WarmupRound> rounds = new ArrayList<>();
        while (true) {
            int round = rounds.size() + 1;
            double meshMs = 0;
            double libMs = 0;
            JitShare.Since services = servicesJit(mesh);
            JitShare.Since thisJvm = thisJvmJit();
            for (int s = 0; s < specs.size(); s++) {
                Question q = pool.get(s % pool.size());
                SearchRequest r = request("warm" + round, q, specs.get(s), WARMUP_SEEDS + (long) round * specs.size() + s);
                // Read the services' metrics around each search as the steady state does: their scrapes run code (HTTP,
                // the Prometheus text) that would otherwise first be compiled while the steady state is measured.
                Pair pair = pair(r, viaMesh, inProcess, (round + s) % 2 == 0, readings);
                meshMs += pair.mesh().wallNanos() / 1e6;
                libMs += pair.inProcess().wallNanos() / 1e6;
            }
            WarmupRound done = new WarmupRound(round, specs.size(), meshMs, libMs, services.now(), thisJvm.now());
            rounds.add(done);
            boolean steady = SteadyRule.steady(rounds);
            System.out.printf(Locale.ROOT, "warm-up round %d: ms/search mesh %.1f, in-process %.1f, ratio %.3fx%s | JIT "
                            + "services %.1f%%, this JVM %.1f%% | load %.2f%n", round, done.meshMsPerSearch(),
                    done.inProcessMsPerSearch(), done.ratio(), spreads(rounds, steady), 100 * done.servicesJit().share(),
                    100 * done.thisJvmJit().share(), MachineLoad.now());
            if (steady) {
                return new WarmupCurve(bulk, rounds, WarmupCurve.Ending.STEADY, maxRounds, warmupMinutes,
                        (System.nanoTime() - start) / 1e9);
            }
            if (round >= maxRounds) {
                return new WarmupCurve(bulk, rounds, WarmupCurve.Ending.ROUND_CAP, maxRounds, warmupMinutes,
                        (System.nanoTime() - start) / 1e9);
            }
            if (System.nanoTime() > capNanos) {
                return new WarmupCurve(bulk, rounds, WarmupCurve.Ending.TIME_CAP, maxRounds, warmupMinutes,
                        (System.nanoTime() - start) / 1e9);
            }
        }
    }

    /** From now on: the services' compiler threads over their CPU. */
    private static JitShare.Since servicesJit(LocalMesh mesh) {
        return JitShare.since(CpuClock.compilerThreadsOf(mesh), CpuClock.services(mesh));
    }

    /** From now on: this JVM's compiler threads over its CPU. */
    private static JitShare.Since thisJvmJit() {
        return JitShare.since(CpuClock.compilerThreadsOfThisJvm(), CpuClock.thisJvm());
    }

    private static String spreads(List<WarmupRound> rounds, boolean steady) {
        if (rounds.size() < SteadyRule.WINDOW) {
            return "";
        }
        List<WarmupRound> last = rounds.subList(rounds.size() - SteadyRule.WINDOW, rounds.size());
        return String.format(Locale.ROOT, " | spread of last %d: mesh %.1f%%, in-process %.1f%%%s", SteadyRule.WINDOW,
                100 * SteadyRule.spread(last.stream().mapToDouble(WarmupRound::meshMs).toArray()),
                100 * SteadyRule.spread(last.stream().mapToDouble(WarmupRound::inProcessMs).toArray()),
                steady ? ": steady" : "");
    }

    /**
     * Slices of {@link #BULK_SLICE_S} s of {@code --warmup-clients} concurrent searches, the paths alternating, every
     * strategy in turn on the warm-up questions with seeds of their own, until both paths served
     * {@code --warmup-searches} or {@code until}. Each slice's latency and JIT share go in the report: the curve of
     * how the paths warmed.
     */
    private BulkWarmup bulkWarmup(List<MethodSpec> specs, List<Question> pool, MeshPath viaMesh, LibraryPath inProcess,
                                  LocalMesh mesh, long until) throws InterruptedException {
        long start = System.nanoTime();
        List<BulkWarmup.Slice> slices = new ArrayList<>();
        if (warmupSearches == 0) {
            return new BulkWarmup(0, warmupClients, BULK_SLICE_S, slices, BulkWarmup.Ending.NONE, 0);
        }
        CpuClock meshCpu = CpuClock.servicesAndThisJvm(mesh);
        CpuClock meshJit = CpuClock.compilerThreadsOf(mesh).plus(CpuClock.compilerThreadsOfThisJvm());
        Map<SearchPath, Integer> served = new LinkedHashMap<>(Map.of(viaMesh, 0, inProcess, 0));
        while (true) {
            for (SearchPath path : List.of(viaMesh, inProcess)) {
                if (served.values().stream().allMatch(k -> k >= warmupSearches)) {
                    return new BulkWarmup(warmupSearches, warmupClients, BULK_SLICE_S, slices, BulkWarmup.Ending.SERVED,
                            (System.nanoTime() - start) / 1e9);
                }
                if (System.nanoTime() > until) {
                    return new BulkWarmup(warmupSearches, warmupClients, BULK_SLICE_S, slices, BulkWarmup.Ending.TIME_CAP,
                            (System.nanoTime() - start) / 1e9);
                }
                if (served.get(path) >= warmupSearches) {
                    continue;
                }
                boolean viaTheMesh = path == viaMesh;
                LoadRun run = LoadDriver.run(path, warmupClients, BULK_SLICE_S, (client, k, seq) -> {
                    MethodSpec strategy = specs.get((int) (seq % specs.size()));
                    Question q = pool.get((int) ((seq / specs.size()) % pool.size()));
                    return withId(request("bulk" + seq, q, strategy, BULK_SEEDS + seq), path.name());
                }, viaTheMesh ? meshCpu : CpuClock.thisJvm(),
                        viaTheMesh ? meshJit : CpuClock.compilerThreadsOfThisJvm(), DRAIN);
                served.merge(path, run.completed(), Integer::sum);
                slices.add(new BulkWarmup.Slice(slices.size() + 1, path.name(), served.get(path), run));
                System.out.printf(Locale.ROOT, "bulk warm-up %s: %d/%d searches, mean %.1f ms at %d concurrent, JIT %.1f%% of CPU "
                                + "| load %.2f%n", path.name(), served.get(path), warmupSearches, run.latency().meanMs(),
                        warmupClients, 100 * run.jitShare(), MachineLoad.now());
            }
        }
    }

    /**
     * Phase 3: each strategy's questions ({@code measured}, one list per strategy, the same length) once per path, the
     * mesh search's round trips counted. Returns questions done per strategy.
     */
    private int steadyState(List<StrategyOverhead.Tally> tallies, List<List<Question>> measured, MeshPath viaMesh,
                            LibraryPath inProcess, ServiceReadings readings, long phaseDeadline) throws InterruptedException {
        int done = 0;
        int questions = measured.getFirst().size();
        for (int q = 0; q < questions; q++) {
            StringBuilder line = new StringBuilder();
            for (int s = 0; s < tallies.size(); s++) {
                StrategyOverhead.Tally t = tallies.get(s);
                Question question = measured.get(s).get(q);
                SearchRequest r = request("q" + q, question, t.spec(), q);
                Pair pair = pair(r, viaMesh, inProcess, (q + s) % 2 == 0, readings);
                t.add(question.id(), pair.mesh(), pair.inProcess(), pair.meshRoundTrips(), pair.meshTime(), pair.inProcessTime());
                line.append(String.format(Locale.ROOT, " %s %.0f/%.0f", t.spec().name(), pair.mesh().wallNanos() / 1e6,
                        pair.inProcess().wallNanos() / 1e6));
            }
            done++;
            System.out.printf(Locale.ROOT, "steady question %d/%d ms mesh/in-process:%s | load %.2f%n", done, questions,
                    line, MachineLoad.now());
            if (System.nanoTime() > phaseDeadline && done < questions) {
                System.out.printf("time limit: steady state stops after %d questions%n", done);
                break;
            }
        }
        return done;
    }

    /**
     * One search both ways; where they were not counted, {@code meshRoundTrips} and the times are null (so are the
     * mesh's times when its metrics could not be read).
     */
    private record Pair(SearchOutcome mesh, SearchOutcome inProcess, RoundTrips meshRoundTrips, ServiceTime meshTime,
                        ServiceTime inProcessTime) {
    }

    /**
     * One search both ways, {@code meshFirst} deciding the order; with {@code counting} (else null), the mesh
     * search's round trips and service times and the in-process search's model time are read around them.
     */
    private static Pair pair(SearchRequest r, MeshPath viaMesh, LibraryPath inProcess, boolean meshFirst,
                             ServiceReadings counting)
            throws InterruptedException {
        if (!meshFirst) {
            Pair l = countedSolve(inProcess, withId(r, "lib"), counting != null);
            Pair m = countedSolve(viaMesh, withId(r, "mesh"), counting);
            return new Pair(m.mesh(), l.inProcess(), m.meshRoundTrips(), m.meshTime(), l.inProcessTime());
        }
        Pair m = countedSolve(viaMesh, withId(r, "mesh"), counting);
        Pair l = countedSolve(inProcess, withId(r, "lib"), counting != null);
        return new Pair(m.mesh(), l.inProcess(), m.meshRoundTrips(), m.meshTime(), l.inProcessTime());
    }

    /** The mesh half of a pair. */
    private static Pair countedSolve(MeshPath viaMesh, SearchRequest r, ServiceReadings counting) throws InterruptedException {
        if (counting == null) {
            return new Pair(viaMesh.solve(r), null, null, null, null);
        }
        MeshMetrics before = counting.before();
        SearchOutcome o = viaMesh.solve(r);
        if (before == null) {
            return new Pair(o, null, null, null, null);
        }
        MeshMetrics after = counting.afterSettling(before);
        if (after == null) {
            return new Pair(o, null, null, null, null);
        }
        ServiceTime times = ServiceReadings.settled(before, after) ? after.times().minus(before.times()) : null;
        return new Pair(o, null, after.roundTrips().minus(before.roundTrips()), times, null);
    }

    /** The in-process half of a pair. */
    private static Pair countedSolve(LibraryPath inProcess, SearchRequest r, boolean counting) {
        ServiceTime before = inProcess.modelTime();
        SearchOutcome o = inProcess.solve(r);
        return new Pair(null, o, null, null, counting ? inProcess.modelTime().minus(before) : null);
    }

    /**
     * Phase 4: per level, both paths (alternating which goes first), each a short warm-up then the window; at the goal's
     * level {@code --goal-pairs - 1} more window pairs follow, added to {@code repeats}.
     */
    private List<ThroughputLevel> throughput(MethodSpec strategy, List<Question> qs, MeshPath viaMesh, LibraryPath inProcess,
                                             LocalMesh mesh, long runDeadline, List<String> cut, List<CpuPair> repeats)
            throws InterruptedException {
        List<ThroughputLevel> levels = new ArrayList<>();
        CpuClock meshCpu = CpuClock.servicesAndThisJvm(mesh);
        CpuClock meshJit = CpuClock.compilerThreadsOf(mesh).plus(CpuClock.compilerThreadsOfThisJvm());
        CpuClock ownCpu = CpuClock.thisJvm();
        CpuClock ownJit = CpuClock.compilerThreadsOfThisJvm();
        ProcessCpu byProcess = new ProcessCpu(mesh);
        double levelSeconds = 2 * (windowSeconds + levelWarmupMaxSeconds + LEVEL_SLACK_S);
        for (int i = 0; i < concurrency.size(); i++) {
            int c = concurrency.get(i);
            if (System.nanoTime() + (long) (levelSeconds * 1e9) > runDeadline) {
                cut.add("throughput levels " + concurrency.subList(i, concurrency.size()) + " not run");
                System.out.printf("time limit: throughput levels %s not run%n", concurrency.subList(i, concurrency.size()));
                break;
            }
            int window = levels.size() + repeats.size() + 1; // every window pair so far, the warm-ups' aside
            double[] warmup = new double[2];
            MeasuredLevel m;
            MeasuredLevel l;
            if (i % 2 == 0) {
                warmup[0] = warmUp(viaMesh, c, strategy, qs, meshCpu, meshJit);
                m = meshLevel(viaMesh, c, strategy, qs, window, meshCpu, meshJit, mesh, byProcess);
                warmup[1] = warmUp(inProcess, c, strategy, qs, ownCpu, ownJit);
                l = inProcessLevel(inProcess, c, strategy, qs, window, ownCpu, ownJit);
            } else {
                warmup[1] = warmUp(inProcess, c, strategy, qs, ownCpu, ownJit);
                l = inProcessLevel(inProcess, c, strategy, qs, window, ownCpu, ownJit);
                warmup[0] = warmUp(viaMesh, c, strategy, qs, meshCpu, meshJit);
                m = meshLevel(viaMesh, c, strategy, qs, window, meshCpu, meshJit, mesh, byProcess);
            }
            ThroughputLevel level = new ThroughputLevel(c, m.run(), l.run(), warmup[0], warmup[1], m.cpuByProcess(),
                    m.generator(), l.generator());
            levels.add(level);
            LoadRun mr = m.run();
            LoadRun lr = l.run();
            System.out.printf(Locale.ROOT, "%d concurrent: searches/s mesh %.2f, in-process %.2f; p50 ms %.0f/%.0f; "
                            + "searches per CPU-s %.2f/%.2f = %.3fx; JIT share of CPU %.1f%%/%.1f%% after %.0f/%.0f s of warm-up "
                            + "| load %.2f%n", c, mr.throughput(), lr.throughput(), mr.latency().p50Ms(), lr.latency().p50Ms(),
                    mr.searchesPerCpuSecond(), lr.searchesPerCpuSecond(), level.perCpuSecondRatio(), 100 * mr.jitShare(),
                    100 * lr.jitShare(), warmup[0], warmup[1], MachineLoad.now());
            if (c == goalConcurrency) {
                repeatAtGoal(strategy, qs, window, viaMesh, inProcess, meshCpu, meshJit, ownCpu, ownJit, i % 2 != 0, repeats);
            }
        }
        return levels;
    }

    /**
     * The goal's level again, window pairs only (the paths are warm at it), the order alternating on from the level's;
     * each pair its own seeds: the window pairs numbered on from the level's ({@code levelWindow}).
     */
    private void repeatAtGoal(MethodSpec strategy, List<Question> qs, int levelWindow, MeshPath viaMesh,
                              LibraryPath inProcess, CpuClock meshCpu, CpuClock meshJit, CpuClock ownCpu, CpuClock ownJit,
                              boolean meshFirst, List<CpuPair> repeats) throws InterruptedException {
        int c = goalConcurrency;
        for (int pair = 2; pair <= goalPairs; pair++) {
            int window = levelWindow + pair - 1;
            LoadRun m;
            LoadRun l;
            if (meshFirst) {
                m = level(viaMesh, c, strategy, qs, window, meshCpu, meshJit);
                l = level(inProcess, c, strategy, qs, window, ownCpu, ownJit);
            } else {
                l = level(inProcess, c, strategy, qs, window, ownCpu, ownJit);
                m = level(viaMesh, c, strategy, qs, window, meshCpu, meshJit);
            }
            meshFirst = !meshFirst;
            CpuPair measured = new CpuPair(m, l);
            repeats.add(measured);
            System.out.printf(Locale.ROOT, "%d concurrent, pair %d of %d: searches per CPU-s %.2f/%.2f = %.3fx | load %.2f%n",
                    c, pair, goalPairs, m.searchesPerCpuSecond(), l.searchesPerCpuSecond(), measured.perCpuSecondRatio(),
                    MachineLoad.now());
        }
    }

    /** Slices of load at the level until the JIT has settled (or the cap); returns the seconds it took. */
    private double warmUp(SearchPath path, int clients, MethodSpec strategy, List<Question> qs, CpuClock cpu, CpuClock jit)
            throws InterruptedException {
        double spent = 0;
        while (spent < levelWarmupMaxSeconds && levelWarmupSeconds > 0) {
            LoadRun slice = LoadDriver.run(path, clients, levelWarmupSeconds,
                    loadRequests(path, WARMUP_WINDOW, clients, strategy, qs), cpu, jit, DRAIN);
            spent += slice.levelSeconds();
            if (!(slice.jitShare() >= JIT_QUIET)) {
                break;
            }
        }
        return spent;
    }

    /** {@code window}: the number of the window pair, which both paths run with the same seeds, and no other pair does. */
    private LoadRun level(SearchPath path, int clients, MethodSpec strategy, List<Question> qs, int window, CpuClock cpu,
                          CpuClock jit) throws InterruptedException {
        return LoadDriver.run(path, clients, windowSeconds, loadRequests(path, window, clients, strategy, qs), cpu, jit, DRAIN);
    }

    /** A level's run with what its processes and its generator did over it. */
    private record MeasuredLevel(LoadRun run, Map<String, Double> cpuByProcess, GeneratorCounters generator) {
    }

    private MeasuredLevel meshLevel(MeshPath path, int clients, MethodSpec strategy, List<Question> qs, int window, CpuClock cpu,
                                    CpuClock jit, LocalMesh mesh, ProcessCpu byProcess) throws InterruptedException {
        ServiceProcess generator = mesh.service(MeshService.GENERATOR);
        GeneratorCounters decodedBefore = GeneratorCounters.read(generator);
        Map<String, Long> cpuBefore = byProcess.read();
        LoadRun run = level(path, clients, strategy, qs, window, cpu, jit);
        Map<String, Double> cpuByProcess = byProcess.secondsSince(cpuBefore);
        return new MeasuredLevel(run, cpuByProcess, GeneratorCounters.read(generator).minus(decodedBefore));
    }

    private MeasuredLevel inProcessLevel(LibraryPath path, int clients, MethodSpec strategy, List<Question> qs, int window,
                                         CpuClock cpu, CpuClock jit) throws InterruptedException {
        GeneratorCounters decodedBefore = path.generatorCounters();
        LoadRun run = level(path, clients, strategy, qs, window, cpu, jit);
        return new MeasuredLevel(run, Map.of(), path.generatorCounters().minus(decodedBefore));
    }

    /**
     * The same questions and seeds on both paths: a client's k-th search of a window pair is the same search both ways.
     * Every window pair has its own seeds: a pair that replayed another's searches would find their samples in the
     * verifier's cache.
     */
    private LoadDriver.Requests loadRequests(SearchPath path, int window, int clients, MethodSpec strategy, List<Question> qs) {
        return (client, k, seq) -> {
            long search = client + (long) k * clients;
            Question q = qs.get((int) (search % qs.size()));
            return new SearchRequest("ovh-load-" + path.name() + "-c" + clients + "-w" + window + "-" + search, q.question(),
                    strategy, List.of(), BUDGET, new SamplingParams(null, null, null,
                    options.seed + LOAD_SEEDS + window * SEEDS_PER_WINDOW + search, 0), "", Aggregation.LAST);
        };
    }

    /** The orchestrator's catalog sized at N, by name, checked against the library's (both must offer the same). */
    private Map<String, MethodSpec> strategies(MeshPath viaMesh, LibraryPath inProcess) {
        List<MethodInfo> offered = viaMesh.catalog().getStrategiesList();
        Set<String> library = new TreeSet<>(inProcess.catalog().strategies().stream().map(i -> i.name()).toList());
        Map<String, MethodSpec> out = new LinkedHashMap<>();
        for (MethodInfo info : offered) {
            if (!library.contains(info.getName())) {
                throw new IllegalStateException("the orchestrator offers " + info.getName() + " but the library does not: "
                        + "the jars and this benchmark were built from different sources");
            }
            out.put(info.getName(), StrategySizing.at(info.getName(),
                    info.getParamsList().stream().map(ParamInfo::getName).toList(), n));
        }
        if (only != null) {
            for (String name : only) {
                if (!out.containsKey(name)) {
                    throw new IllegalArgumentException("--strategies: the orchestrator offers no " + name);
                }
            }
        }
        if (out.isEmpty() || (only != null && only.isEmpty())) {
            throw new IllegalStateException("no strategies to measure");
        }
        return out;
    }

    private SearchRequest request(String tag, Question q, MethodSpec strategy, long seedOffset) {
        return new SearchRequest("ovh-" + strategy.name().replace('_', '-') + "-" + tag, q.question(), strategy, List.of(), BUDGET,
                new SamplingParams(null, null, null, options.seed + seedOffset, 0), "", Aggregation.LAST);
    }

    private static SearchRequest withId(SearchRequest r, String mode) {
        return new SearchRequest(r.requestId() + "-" + mode, r.question(), r.strategy(), r.policies(), r.budget(),
                r.sampling(), r.verifier(), r.aggregation());
    }

    private String command() {
        return JitThresholds.ofThisJvm().javaCommand() + " --enable-native-access=ALL-UNNAMED -jar bench/target/tts-bench.jar "
                + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    private void write(OverheadReport report) throws Exception {
        Files.writeString(options.out.resolve("mesh-overhead.md"), report.markdown());
        Files.writeString(options.out.resolve("mesh-overhead.json"),
                BenchJson.PRETTY.writeValueAsString(report.json(BenchJson.MAPPER)) + "\n");
        WarmupChart.write(report.warmup(), options.out.resolve("mesh-overhead.png"));
        WarmupChart.writeBulk(report.warmup().bulk(), options.out.resolve("mesh-overhead-bulk.png"));
        System.out.println("wrote " + options.out.resolve("mesh-overhead.md") + ", .json, .png and -bulk.png");
    }
}
