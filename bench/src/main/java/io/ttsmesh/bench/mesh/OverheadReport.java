package io.ttsmesh.bench.mesh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ttsmesh.search.MethodSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The result of {@code tts-bench mesh-overhead} in its three phases: the cold searches right after start, the
 * warm-up curve until both paths were steady, the steady state per strategy (wall time, round trips) and the
 * throughput of both paths at growing concurrency, per CPU-second of the processes doing the work.
 *
 * @param questionsPlanned steady-state questions asked for; {@code questionsDone} fewer when the time limit cut them
 * @param steadyServicesJit the services' JIT compiler threads over the steady state; {@code steadyThisJvmJit} this JVM's
 * @param cut              what the run's time limit cut, in words; empty when nothing was
 */
record OverheadReport(RunContext context, int n, long seed, double goal, ColdStart cold, WarmupCurve warmup,
                      int questionsPlanned, int questionsDone, JitShare steadyServicesJit, JitShare steadyThisJvmJit,
                      List<StrategyOverhead> strategies, Throughput throughput,
                      double maxMinutes, List<String> cut) {

    /**
     * The throughput phase's set-up and levels.
     *
     * @param strategy      the one strategy loaded
     * @param windowSeconds measuring window per level and path
     * @param levelWarmupSeconds warm-up slice per level and path, not counted, repeated until the JIT has settled
     * @param levelWarmupMaxSeconds the most warm-up per level and path
     * @param goalClients   the level the per-CPU-second goal is read at
     * @param goal          mesh/in-process searches per CPU-second at least this
     * @param repeats       more window pairs at the goal's level, after its own
     */
    record Throughput(MethodSpec strategy, double windowSeconds, double levelWarmupSeconds, double levelWarmupMaxSeconds,
                      int goalClients, double goal, List<ThroughputLevel> levels, List<CpuPair> repeats) {

        Throughput {
            levels = List.copyOf(levels);
            repeats = List.copyOf(repeats);
        }

        Optional<ThroughputLevel> atGoal() {
            return levels.stream().filter(l -> l.clients() == goalClients).findFirst();
        }

        /** Every window pair at the goal's level: the level's own, then the repeats; empty when the level did not run. */
        List<CpuPair> pairsAtGoal() {
            return atGoal().map(l -> {
                List<CpuPair> pairs = new ArrayList<>();
                pairs.add(new CpuPair(l.mesh(), l.inProcess()));
                pairs.addAll(repeats);
                return pairs;
            }).orElse(List.of());
        }

        /** The goal's reading: every pair at its level pooled. */
        double perCpuSecondRatioAtGoal() {
            return CpuPair.pooledRatio(pairsAtGoal());
        }

        long pairsMeetingGoal() {
            return pairsAtGoal().stream().filter(p -> p.perCpuSecondRatio() >= goal).count();
        }
    }

    OverheadReport {
        strategies = List.copyOf(strategies);
        cut = List.copyOf(cut);
    }

    /** Sum of mean wall times through the mesh over the same sum in-process: every strategy weighted by its cost. */
    double overallRatio() {
        double mesh = 0;
        double inProcess = 0;
        for (StrategyOverhead s : strategies) {
            mesh += s.mesh().meanMs();
            inProcess += s.inProcess().meanMs();
        }
        return LatencyStats.ratio(mesh, inProcess);
    }

    long strategiesMeetingGoal() {
        return strategies.stream().filter(s -> s.meanRatio() <= goal).count();
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# Mesh overhead: three processes over gRPC vs in-process library mode\n\n");
        md.append(String.format(Locale.ROOT, "One search through the mesh (client -> orchestrator gRPC Solve -> generator and "
                + "verifier services, each its own JVM, loopback gRPC, Kafka off) against the same search in this JVM "
                + "(SearchRunner over the in-process engines, configured as the services are), same seed, side by side "
                + "in one run. Every strategy of the orchestrator's catalog at N = %d. Questions: seeded subsets of "
                + "models/eval/heldout.jsonl (seed %d), disjoint between the cold, warm-up and steady phases, and in the "
                + "steady state between the strategies (each strategy its own questions: the test-bed model samples many "
                + "of the same steps for a question whatever the strategy, and the verifier's cache would answer them for "
                + "a strategy measured after another on the same question). Wall time is "
                + "what the caller waits for one search. Phases: (1) cold: the first %d searches per path after start; "
                + "(2) warm-up: concurrent searches on each path (bulk), then rounds until both paths are steady; "
                + "(3) steady state, searches one at a time, round trips counted by the services; (4) throughput at "
                + "growing concurrency, per CPU-second.\n\n",
                n, seed, cold.perPath()));
        if (!cut.isEmpty()) {
            md.append(String.format(Locale.ROOT, "**Cut by the time limit (--max-minutes %s):** %s.\n\n",
                    trim(maxMinutes), String.join("; ", cut)));
        }
        md.append(context.markdown()).append('\n');
        result(md);
        coldTable(md);
        warmupTable(md);
        steadyTables(md);
        throughputTable(md);
        return md.toString();
    }

    private void result(StringBuilder md) {
        md.append("## Result\n\n");
        md.append(String.format(Locale.ROOT, "- **Steady state, goal mesh/in-process <= %.2fx per strategy at N = %d:** "
                        + "%d of %d strategies met it (ratio of means); overall (sum of means) %.3fx. Per strategy: %s. "
                        + "Beyond the noise (the ratio's 95%% interval over resampled questions wholly on one side of the "
                        + "goal): missed by %s; met by %s; within it: %s.\n",
                goal, n, strategiesMeetingGoal(), strategies.size(), overallRatio(), perStrategy(),
                namesWhere(i -> i.above(goal)), namesWhere(i -> i.below(goal)),
                namesWhere(i -> !i.above(goal) && !i.below(goal))));
        double cpu = throughput.perCpuSecondRatioAtGoal();
        List<CpuPair> pairs = throughput.pairsAtGoal();
        md.append(String.format(Locale.ROOT, "- **Throughput per CPU-second at %d concurrent searches, goal mesh/in-process "
                        + ">= %.2fx:** %s (%s, %s).\n", throughput.goalClients(), throughput.goal(),
                Double.isNaN(cpu) ? "not measured" : String.format(Locale.ROOT, "%.3fx pooled over %d window pairs (each pair %s: "
                                + "%d of %d at or above the goal)", cpu, pairs.size(),
                        String.join(", ", pairs.stream()
                                .map(p -> String.format(Locale.ROOT, "%.3fx", p.perCpuSecondRatio())).toList()),
                        throughput.pairsMeetingGoal(), pairs.size()),
                Double.isNaN(cpu) ? "level not run" : cpu >= throughput.goal() ? "met" : "missed", params(throughput.strategy())));
        md.append(String.format(Locale.ROOT, "- **Cold (first %d searches per path after start, reported, no goal):** "
                + "mesh/in-process %.3fx overall (total wall time, %d pairs)%s.\n", cold.perPath(), cold.overallRatio(),
                cold.compared(), context.machine().jit().defaults() ? ""
                        : "; with the JIT thresholds scaled as in this run, so the JIT compiles sooner than at a default JVM's start"));
        BulkWarmup bulk = warmup.bulk();
        md.append(String.format(Locale.ROOT, "- Warm-up: %s, then %d rounds in %.0f s, ended %s (caps: %d rounds, %s min for "
                        + "the whole warm-up).\n\n", bulk.ending() == BulkWarmup.Ending.NONE ? "no bulk warm-up"
                        : String.format(Locale.ROOT, "bulk %d mesh and %d in-process searches (%d concurrent) in %.0f s, ended: %s",
                        bulk.served("mesh"), bulk.served("in-process"), bulk.clients(), bulk.seconds(), bulk.ending().meaning()),
                warmup.rounds().size(), warmup.seconds(), warmup.ending().meaning(), warmup.roundCap(),
                trim(warmup.minutesCap())));
    }

    private String namesWhere(java.util.function.Predicate<PairedBootstrap.Interval> test) {
        List<String> names = strategies.stream().filter(s -> test.test(s.meanRatioInterval())).map(s -> s.spec().name()).toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static String interval(PairedBootstrap.Interval i) {
        return Double.isNaN(i.low()) ? "n/a" : String.format(Locale.ROOT, "%.3f-%.3fx", i.low(), i.high());
    }

    private String perStrategy() {
        StringBuilder b = new StringBuilder();
        for (StrategyOverhead s : strategies) {
            b.append(b.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %.3fx", s.spec().name(), s.meanRatio()));
        }
        return b.toString();
    }

    private void coldTable(StringBuilder md) {
        md.append(String.format(Locale.ROOT, "## Cold: the first %d searches per path after start\n\n", cold.perPath()));
        md.append("Strategies in rotation, the same question and seed on both paths, alternating which goes first. The "
                + "services and this JVM had answered nothing before (the services' readiness probes aside).\n\n");
        md.append("| strategy | pairs | mesh mean ms | in-process mean ms | ratio (means) |\n|---|---:|---:|---:|---:|\n");
        for (StrategyOverhead s : cold.strategies()) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.3fx |\n", s.spec().name(), s.compared(),
                    s.mesh().meanMs(), s.inProcess().meanMs(), s.meanRatio()));
        }
        md.append(String.format(Locale.ROOT, "| **all** | %d | | | **%.3fx** (total) |\n\n", cold.compared(), cold.overallRatio()));
    }

    private void warmupTable(StringBuilder md) {
        md.append("## Warm-up until steady\n\n");
        bulkTable(md);
        md.append(String.format(Locale.ROOT, "Each round runs every strategy once on each path, on warm-up questions that "
                + "are not measured: each strategy the same question every round, with a new seed each round (so the "
                + "totals vary with the samples and the machine, not with which question came up, and no cache answers a "
                + "repeat); the services' metrics are read around each mesh search, as in the steady state. Steady: the "
                + "last %d rounds' mesh totals and in-process totals each vary by less than %.0f%% (max - min over mean), "
                + "and over those rounds the JIT compiler threads took under %.0f%% of the CPU of the services and of this "
                + "JVM (the in-process searches and the mesh's client). Ended: %s.\n\n",
                SteadyRule.WINDOW, SteadyRule.MAX_SPREAD * 100, MeshOverheadBenchmark.JIT_QUIET * 100,
                warmup.ending().meaning()));
        md.append("![warm-up curve](mesh-overhead.png)\n\n");
        md.append("| round | mesh ms/search | in-process ms/search | ratio | JIT, services | JIT, this JVM |\n"
                + "|---:|---:|---:|---:|---:|---:|\n");
        for (WarmupRound r : warmup.rounds()) {
            md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.3fx | %s | %s |\n", r.round(), r.meshMsPerSearch(),
                    r.inProcessMsPerSearch(), r.ratio(), percent(r.servicesJit().share()), percent(r.thisJvmJit().share())));
        }
        md.append('\n');
    }

    private void bulkTable(StringBuilder md) {
        BulkWarmup bulk = warmup.bulk();
        if (bulk.slices().isEmpty()) {
            return;
        }
        md.append(String.format(Locale.ROOT, "### Bulk: %d concurrent searches per path, every strategy in turn\n\n"
                        + "Code that runs once per search (the Solve call, opening a session, mapping the result) reaches the "
                        + "JIT's compile thresholds only after thousands of searches; rounds of one search per strategy would "
                        + "take far longer to get there. Slices of %s s, the paths alternating, until each "
                        + "path served %d searches (or 2/3 of the warm-up's time cap). JIT: the share of the path's CPU spent "
                        + "by the JVMs' compiler threads (mesh: the three services and this JVM's client). Ended: %s.\n\n",
                bulk.clients(), trim(bulk.sliceSeconds()), bulk.target(), bulk.ending().meaning()));
        md.append("![bulk warm-up curve](mesh-overhead-bulk.png)\n\n");
        md.append("| slice | path | searches served | mean ms | p50 ms | JIT |\n|---:|---|---:|---:|---:|---:|\n");
        for (BulkWarmup.Slice s : bulk.slices()) {
            md.append(String.format(Locale.ROOT, "| %d | %s | %d | %.1f | %.1f | %.1f%% |\n", s.index(), s.path(), s.served(),
                    s.run().latency().meanMs(), s.run().latency().p50Ms(), 100 * s.run().jitShare()));
        }
        md.append("\n### Rounds until steady\n\n");
    }

    private void steadyTables(StringBuilder md) {
        md.append(String.format(Locale.ROOT, "## Steady state: goal mesh/in-process <= %.2fx\n\n", goal));
        md.append(String.format(Locale.ROOT, "%d held-out questions per strategy%s, each its own, once per path, "
                        + "interleaved and alternating which path goes first; searches one at a time. The services' metrics "
                        + "are read before and after each mesh search (below), as in the warm-up rounds. JIT compiler "
                        + "threads over the phase: %s of the services' CPU, %s of this JVM's.\n\n", questionsDone,
                questionsDone < questionsPlanned ? " (of " + questionsPlanned + " planned: cut by the time limit)" : "",
                percent(steadyServicesJit.share()), percent(steadyThisJvmJit.share())));
        md.append("| strategy | params | mesh mean ms | mesh p50 ms | in-process mean ms | in-process p50 ms | "
                + "ratio (means) | 95% interval | ratio (p50) | goal | same answer | same search | failures mesh/in-process |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
        for (StrategyOverhead s : strategies) {
            LatencyStats m = s.mesh();
            LatencyStats l = s.inProcess();
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.3fx | %s | %.3fx | %s | %d/%d | %d/%d | %d/%d |\n",
                    s.spec().name(), params(s.spec().params()), m.meanMs(), m.p50Ms(), l.meanMs(), l.p50Ms(),
                    s.meanRatio(), interval(s.meanRatioInterval()), s.p50Ratio(), s.meanRatio() <= goal ? "met" : "missed",
                    s.sameAnswer(), s.compared(), s.sameSearch(), s.compared(), s.meshFailures(), s.inProcessFailures()));
        }
        md.append(String.format(Locale.ROOT, "\nThe 95%% interval: of the ratio of means over the strategy's pairs resampled "
                + "with replacement (%d resamples, each keeping a question's two searches together), 2.5th to 97.5th "
                + "percentile: how far the ratio could move with other questions of the same kind.", PairedBootstrap.RESAMPLES));
        md.append(" \"Same search\": same answer, same chosen steps, same generated tokens, verifier calls and stop "
                + "reason for the same seed. Only pairs where both searches succeeded are timed and compared. "
                + "first_finish cancels the other samples when the first one ends, so how many tokens they had "
                + "generated by then depends on timing: its answers must agree, its token counts need not.\n\n");
        md.append("### Round trips per mesh search\n\n");
        md.append("Counted by the services: the generator's `tts_generator_session_commands_total{awaited=\"true\"}` "
                + "(commands its client waited for) and `{awaited=\"false\"}` (sent ahead, pipelined), the verifier's "
                + "`tts_verifier_requests_total` and, of those, `tts_verifier_requests_ahead_total` (sent ahead while the "
                + "search's other branches were still generating), read before and after each mesh search (one at a "
                + "time, so the difference is that search's). Sequential round trips = awaited + verifier requests - "
                + "those sent ahead. ms per round trip "
                + "= (mesh mean - in-process mean) / sequential round trips: the cost of one trip over loopback gRPC "
                + "and the processes, if all of the overhead is the trips. Generator messages: what the generator sent "
                + "on the search's Session stream (gRPC's `grpc_server_responses_sent_messages_total{method=\"Session\"}`: "
                + "answers and step batches), each one framed, written, woken for and parsed; generator kB: their protobuf "
                + "bytes (`tts_generator_session_event_bytes_total`).\n\n");
        md.append("| strategy | awaited generator commands | pipelined commands | verifier requests | of them sent ahead "
                + "| sequential round trips | generator messages | generator kB | mesh - in-process ms | ms per round trip |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (StrategyOverhead s : strategies) {
            RoundTrips r = s.meanRoundTrips();
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f |\n",
                    s.spec().name(), r.awaited(), r.pipelined(), r.verifierRequests(), r.verifierAhead(), r.sequential(),
                    r.generatorMessages(),
                    r.generatorBytes() / 1000, s.mesh().meanMs() - s.inProcess().meanMs(), s.msPerRoundTrip()));
        }
        md.append("\n### Where the overhead goes\n\n");
        md.append("Times the parts measure themselves, read around each search: the models as their engines time them "
                + "(the generator's decode steps, prefill aside: `tts_generator_decode_step_seconds_sum`; the verifier's "
                + "model runs: `tts_verifier_batch_duration_seconds_sum`; in this JVM the same hooks) and the "
                + "orchestrator's search from admission to answer (`tts_orchestrator_search_duration_seconds_sum`; the "
                + "counts and times are read once the search has settled: recorded by the orchestrator, its generator "
                + "session closed). The mesh overhead (mesh - in-process mean wall, over the pairs whose times were read: "
                + "the same searches on every side of the split) splits into: the Solve call = mesh wall - the "
                + "orchestrator's search (the client's request and result over gRPC, mapping, admission); the models = how much longer they ran in the services; the data plane "
                + "= the rest: the orchestrator's search - the in-process search - the models' difference (the generator "
                + "and verifier round trips, the processes and their thread hand-offs, and the search events the "
                + "orchestrator builds for its monitor and clients), also per sequential round trip.\n\n");
        md.append("| strategy | mesh - in-process ms | Solve call ms | models ms | data plane ms | data plane per round "
                + "trip ms | generator model ms, mesh / in-process | verifier model ms, mesh / in-process |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (StrategyOverhead s : strategies) {
            ServiceTime m = s.meanMeshTime();
            ServiceTime l = s.meanInProcessTime();
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.2f | %.1f / %.1f | %.1f / %.1f |\n",
                    s.spec().name(), s.msOverheadOfTimedPairs(), s.msAtTheSolveEdge(), s.msInTheModels(),
                    s.msInTheDataPlane(), s.msInTheDataPlane() / s.meanRoundTrips().sequential(), m.decodeMs(),
                    l.decodeMs(), m.verifierMs(), l.verifierMs()));
        }
        if (strategies.stream().anyMatch(s -> !s.differences().isEmpty())) {
            md.append("\nSearches that differed or failed (first few per strategy):\n\n");
            for (StrategyOverhead s : strategies) {
                for (String d : s.differences()) {
                    md.append("- ").append(s.spec().name()).append(' ').append(d).append('\n');
                }
            }
        }
        md.append('\n');
    }

    private void throughputTable(StringBuilder md) {
        md.append(String.format(Locale.ROOT, "## Throughput: %s, concurrent searches, per CPU-second\n\n",
                params(throughput.strategy())));
        md.append(String.format(Locale.ROOT, "Per level and path: warm-up at that concurrency (not counted) in slices of %s s "
                        + "until the JVMs' compiler threads took under %s%% of a slice's CPU (at most %s s; the time taken is in "
                        + "the table), then a %s s window; each client a virtual thread running one search after another over the steady-state "
                        + "questions, with the same seeds on both paths; searches started in the window run to their end. "
                        + "Both paths use the same cores, one after the other (alternating which goes first). CPU is that "
                        + "of every process doing the work: mesh = the three services (from /proc via ProcessHandle) + this "
                        + "JVM (its gRPC client); in-process = this JVM (OperatingSystemMXBean.getProcessCpuTime). "
                        + "Searches per CPU-second = searches completed / CPU s over the level. JIT: the share of that CPU "
                        + "spent by the JVMs' compiler threads (C1, C2; from /proc), code still being compiled: near 0 "
                        + "once a path is warm.\n\n",
                trim(throughput.levelWarmupSeconds()), trim(100 * MeshOverheadBenchmark.JIT_QUIET),
                trim(throughput.levelWarmupMaxSeconds()), trim(throughput.windowSeconds())));
        md.append("| concurrent | path | warm-up s | completed in window | searches/s | p50 ms | p99 ms | failed | rejected | "
                + "CPU s | JIT | cores used | searches per CPU-s | mesh/in-process per CPU-s |\n");
        md.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (ThroughputLevel l : throughput.levels()) {
            row(md, l.clients(), "mesh", l.meshWarmupSeconds(), l.mesh(), "");
            row(md, l.clients(), "in-process", l.inProcessWarmupSeconds(), l.inProcess(),
                    String.format(Locale.ROOT, "**%.3fx**", l.perCpuSecondRatio()));
        }
        md.append('\n');
        repeatsTable(md);
        cpuByProcessTable(md);
    }

    /** The goal's level measured again: how far one window pair's ratio can move on this machine. */
    private void repeatsTable(StringBuilder md) {
        List<CpuPair> pairs = throughput.pairsAtGoal();
        if (pairs.size() < 2) {
            return;
        }
        md.append(String.format(Locale.ROOT, "### Per CPU-second at %d concurrent, window pair by window pair\n\n",
                throughput.goalClients()));
        md.append(String.format(Locale.ROOT, "The goal's level ran %d more %s s windows per path right after its own (warm "
                + "already; the paths alternating which goes first; each pair its own seeds). The goal is read pooled: "
                + "searches over CPU seconds summed over every window of a path.\n\n", pairs.size() - 1, trim(throughput.windowSeconds())));
        md.append("| pair | mesh searches | mesh CPU s | mesh searches per CPU-s | in-process searches | in-process CPU s | "
                + "in-process searches per CPU-s | mesh/in-process per CPU-s |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < pairs.size(); i++) {
            CpuPair p = pairs.get(i);
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.2f | %d | %.1f | %.2f | %.3fx |\n",
                    i == 0 ? "1 (the level's)" : Integer.toString(i + 1), p.mesh().completed(), p.mesh().cpuSeconds(),
                    p.mesh().searchesPerCpuSecond(), p.inProcess().completed(), p.inProcess().cpuSeconds(),
                    p.inProcess().searchesPerCpuSecond(), p.perCpuSecondRatio()));
        }
        md.append(String.format(Locale.ROOT, "| **pooled** | | | | | | | **%.3fx** |\n\n", throughput.perCpuSecondRatioAtGoal()));
    }

    /** Where a mesh search's CPU goes, process by process, beside what the same search costs in-process. */
    private void cpuByProcessTable(StringBuilder md) {
        List<String> processes = throughput.levels().stream().flatMap(l -> l.meshCpuSeconds().keySet().stream())
                .distinct().toList();
        if (processes.isEmpty()) {
            return;
        }
        md.append("### CPU per search, by process\n\n");
        md.append("CPU milliseconds per completed search over each level's window and drain, read per process from /proc "
                + "(the services) and the OperatingSystemMXBean (this JVM: the in-process engines and searches, or the "
                + "mesh's gRPC client). The mesh's extra CPU per search is what its per-CPU-second ratio pays for.\n\n");
        StringBuilder header = new StringBuilder("| concurrent | in-process ms | mesh ms |");
        StringBuilder rule = new StringBuilder("|---:|---:|---:|");
        for (String p : processes) {
            header.append(" mesh: ").append(p).append(" ms |");
            rule.append("---:|");
        }
        md.append(header).append(" mesh - in-process ms |\n").append(rule).append("---:|\n");
        for (ThroughputLevel l : throughput.levels()) {
            double inProcess = ThroughputLevel.cpuMsPerSearch(l.inProcess());
            double viaMesh = ThroughputLevel.cpuMsPerSearch(l.mesh());
            md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f |", l.clients(), inProcess, viaMesh));
            for (String p : processes) {
                md.append(String.format(Locale.ROOT, " %.1f |", l.meshCpuMsPerSearch(p)));
            }
            md.append(String.format(Locale.ROOT, " %.1f |\n", viaMesh - inProcess));
        }
        md.append('\n');
        md.append("The generator's work per completed search over the same spans, from its own counters (the service's "
                + "`tts_generator_batch_size` and `tts_generator_decode_step_seconds`, the same engine hooks in-process): "
                + "decode steps, rows (branches) per step, and the steps' model time. Fewer rows per step take more steps, "
                + "each with its fixed cost, for the same tokens; more rows, of unequal lengths padded to the longest, "
                + "make each step dearer.\n\n");
        md.append("| concurrent | decode steps, mesh / in-process | rows per step, mesh / in-process | decode model ms, "
                + "mesh / in-process |\n|---:|---:|---:|---:|\n");
        for (ThroughputLevel l : throughput.levels()) {
            md.append(String.format(Locale.ROOT, "| %d | %.1f / %.1f | %.2f / %.2f | %.1f / %.1f |\n", l.clients(),
                    ThroughputLevel.decodeStepsPerSearch(l.mesh(), l.meshDecoding()),
                    ThroughputLevel.decodeStepsPerSearch(l.inProcess(), l.inProcessDecoding()),
                    l.meshDecoding().rowsPerStep(), l.inProcessDecoding().rowsPerStep(),
                    ThroughputLevel.decodeMsPerSearch(l.mesh(), l.meshDecoding()),
                    ThroughputLevel.decodeMsPerSearch(l.inProcess(), l.inProcessDecoding())));
        }
        md.append('\n');
    }

    private static void row(StringBuilder md, int clients, String path, double warmupSeconds, LoadRun r, String ratio) {
        md.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %d | %.2f | %.0f | %.0f | %d | %d | %.1f | %.1f%% | %.2f | %.2f | %s |\n",
                clients, path, warmupSeconds, r.completedInWindow(), r.throughput(), r.latency().p50Ms(), r.latency().p99Ms(), r.failed(),
                r.rejected(), r.cpuSeconds(), 100 * r.jitShare(), r.coresUsed(), r.searchesPerCpuSecond(), ratio));
    }

    ObjectNode json(ObjectMapper m) {
        ObjectNode root = m.createObjectNode();
        root.put("benchmark", "mesh-overhead");
        root.set("run", context.json(m));
        root.put("n", n);
        root.put("seed", seed);
        FiniteJson.put(root, "max_minutes", maxMinutes);
        ArrayNode cutNode = root.putArray("cut_by_time_limit");
        cut.forEach(cutNode::add);

        ObjectNode c = root.putObject("cold");
        c.put("searches_per_path", cold.perPath());
        c.put("compared", cold.compared());
        FiniteJson.put(c, "ratio_total", cold.overallRatio());
        ArrayNode cs = c.putArray("strategies");
        for (StrategyOverhead s : cold.strategies()) {
            ObjectNode o = cs.addObject();
            o.put("strategy", s.spec().name());
            o.put("compared", s.compared());
            o.set("mesh", stats(m, s.mesh()));
            o.set("in_process", stats(m, s.inProcess()));
            FiniteJson.put(o, "ratio_mean", s.meanRatio());
        }

        ObjectNode w = root.putObject("warmup");
        ObjectNode b = w.putObject("bulk");
        BulkWarmup bulk = warmup.bulk();
        b.put("ending", bulk.ending().name().toLowerCase(Locale.ROOT));
        b.put("target_searches_per_path", bulk.target());
        b.put("clients", bulk.clients());
        FiniteJson.put(b, "slice_s", bulk.sliceSeconds());
        FiniteJson.put(b, "seconds", bulk.seconds());
        ArrayNode slices = b.putArray("slices");
        for (BulkWarmup.Slice s : bulk.slices()) {
            ObjectNode o = slices.addObject();
            o.put("slice", s.index());
            o.put("path", s.path());
            o.put("served", s.served());
            o.put("completed", s.run().completed());
            FiniteJson.put(o, "mean_ms", s.run().latency().meanMs());
            FiniteJson.put(o, "p50_ms", s.run().latency().p50Ms());
            FiniteJson.put(o, "jit_share", s.run().jitShare());
        }
        w.put("ending", warmup.ending().name().toLowerCase(Locale.ROOT));
        w.put("round_cap", warmup.roundCap());
        FiniteJson.put(w, "minutes_cap", warmup.minutesCap());
        FiniteJson.put(w, "seconds", warmup.seconds());
        w.put("steady_window_rounds", SteadyRule.WINDOW);
        FiniteJson.put(w, "steady_max_spread", SteadyRule.MAX_SPREAD);
        ArrayNode rounds = w.putArray("rounds");
        for (WarmupRound r : warmup.rounds()) {
            ObjectNode o = rounds.addObject();
            o.put("round", r.round());
            o.put("searches_per_path", r.searches());
            FiniteJson.put(o, "mesh_ms_per_search", r.meshMsPerSearch());
            FiniteJson.put(o, "in_process_ms_per_search", r.inProcessMsPerSearch());
            FiniteJson.put(o, "ratio", r.ratio());
            FiniteJson.put(o, "jit_share_services", r.servicesJit().share());
            FiniteJson.put(o, "jit_share_this_jvm", r.thisJvmJit().share());
        }

        ObjectNode st = root.putObject("steady");
        st.put("questions_planned", questionsPlanned);
        st.put("questions_done", questionsDone);
        FiniteJson.put(st, "jit_share_services", steadyServicesJit.share());
        FiniteJson.put(st, "jit_share_this_jvm", steadyThisJvmJit.share());
        FiniteJson.put(st, "goal_max_ratio", goal);
        FiniteJson.put(st, "overall_ratio", overallRatio());
        st.put("strategies_meeting_goal", strategiesMeetingGoal());
        ArrayNode list = st.putArray("strategies");
        for (StrategyOverhead s : strategies) {
            ObjectNode o = list.addObject();
            o.put("strategy", s.spec().name());
            ObjectNode p = o.putObject("params");
            new TreeMap<>(s.spec().params()).forEach(p::put);
            o.set("mesh", stats(m, s.mesh()));
            o.set("in_process", stats(m, s.inProcess()));
            FiniteJson.put(o, "ratio_mean", s.meanRatio());
            PairedBootstrap.Interval interval = s.meanRatioInterval();
            FiniteJson.put(o, "ratio_mean_95_low", interval.low());
            FiniteJson.put(o, "ratio_mean_95_high", interval.high());
            FiniteJson.put(o, "ratio_p50", s.p50Ratio());
            o.put("goal_met", s.meanRatio() <= goal);
            o.put("compared", s.compared());
            o.put("same_answer", s.sameAnswer());
            o.put("same_search", s.sameSearch());
            o.put("mesh_failures", s.meshFailures());
            o.put("in_process_failures", s.inProcessFailures());
            RoundTrips r = s.meanRoundTrips();
            ObjectNode rt = o.putObject("round_trips_per_search");
            rt.put("searches_counted", s.roundTrips().size());
            FiniteJson.put(rt, "awaited_generator_commands", r.awaited());
            FiniteJson.put(rt, "pipelined_generator_commands", r.pipelined());
            FiniteJson.put(rt, "verifier_requests", r.verifierRequests());
            FiniteJson.put(rt, "verifier_requests_ahead", r.verifierAhead());
            FiniteJson.put(rt, "sequential", r.sequential());
            FiniteJson.put(rt, "generator_messages", r.generatorMessages());
            FiniteJson.put(rt, "generator_bytes", r.generatorBytes());
            FiniteJson.put(o, "ms_per_round_trip", s.msPerRoundTrip());
            ObjectNode mt = o.putObject("time_per_search");
            mt.put("searches_counted", s.timed().size());
            FiniteJson.put(mt, "mesh_orchestrator_search_ms", s.meanMeshTime().searchMs());
            FiniteJson.put(mt, "mesh_generator_model_ms", s.meanMeshTime().decodeMs());
            FiniteJson.put(mt, "in_process_generator_model_ms", s.meanInProcessTime().decodeMs());
            FiniteJson.put(mt, "mesh_verifier_model_ms", s.meanMeshTime().verifierMs());
            FiniteJson.put(mt, "in_process_verifier_model_ms", s.meanInProcessTime().verifierMs());
            ObjectNode split = o.putObject("overhead_ms");
            FiniteJson.put(split, "solve_call", s.msAtTheSolveEdge());
            FiniteJson.put(split, "models", s.msInTheModels());
            FiniteJson.put(split, "data_plane", s.msInTheDataPlane());
            ArrayNode d = o.putArray("differences");
            s.differences().forEach(d::add);
            ArrayNode mw = o.putArray("mesh_wall_ms");
            s.meshNanos().forEach(x -> mw.add(Math.round(x / 1e4) / 100.0));
            ArrayNode lw = o.putArray("in_process_wall_ms");
            s.inProcessNanos().forEach(x -> lw.add(Math.round(x / 1e4) / 100.0));
        }

        ObjectNode t = root.putObject("throughput");
        t.put("strategy", throughput.strategy().name());
        ObjectNode tp = t.putObject("params");
        new TreeMap<>(throughput.strategy().params()).forEach(tp::put);
        FiniteJson.put(t, "window_s", throughput.windowSeconds());
        FiniteJson.put(t, "level_warmup_slice_s", throughput.levelWarmupSeconds());
        FiniteJson.put(t, "level_warmup_max_s", throughput.levelWarmupMaxSeconds());
        t.put("goal_clients", throughput.goalClients());
        FiniteJson.put(t, "goal_min_per_cpu_second_ratio", throughput.goal());
        FiniteJson.put(t, "per_cpu_second_ratio_at_goal", throughput.perCpuSecondRatioAtGoal());
        t.put("goal_met", throughput.perCpuSecondRatioAtGoal() >= throughput.goal());
        ArrayNode pairs = t.putArray("pairs_at_goal");
        for (CpuPair p : throughput.pairsAtGoal()) {
            ObjectNode o = pairs.addObject();
            o.set("mesh", run(m, p.mesh()));
            o.set("in_process", run(m, p.inProcess()));
            FiniteJson.put(o, "per_cpu_second_ratio", p.perCpuSecondRatio());
        }
        ArrayNode levels = t.putArray("levels");
        for (ThroughputLevel l : throughput.levels()) {
            ObjectNode o = levels.addObject();
            o.put("concurrent", l.clients());
            o.set("mesh", run(m, l.mesh()));
            o.set("in_process", run(m, l.inProcess()));
            FiniteJson.put(o, "mesh_warmup_s", l.meshWarmupSeconds());
            FiniteJson.put(o, "in_process_warmup_s", l.inProcessWarmupSeconds());
            FiniteJson.put(o, "per_cpu_second_ratio", l.perCpuSecondRatio());
            FiniteJson.put(o, "throughput_ratio", l.throughputRatio());
            ObjectNode perProcess = o.putObject("mesh_cpu_ms_per_search_by_process");
            l.meshCpuSeconds().keySet().forEach(p -> FiniteJson.put(perProcess, p, l.meshCpuMsPerSearch(p)));
            ObjectNode decoding = o.putObject("generator_per_search");
            FiniteJson.put(decoding, "mesh_decode_steps", ThroughputLevel.decodeStepsPerSearch(l.mesh(), l.meshDecoding()));
            FiniteJson.put(decoding, "in_process_decode_steps",
                    ThroughputLevel.decodeStepsPerSearch(l.inProcess(), l.inProcessDecoding()));
            FiniteJson.put(decoding, "mesh_rows_per_step", l.meshDecoding().rowsPerStep());
            FiniteJson.put(decoding, "in_process_rows_per_step", l.inProcessDecoding().rowsPerStep());
            FiniteJson.put(decoding, "mesh_decode_ms", ThroughputLevel.decodeMsPerSearch(l.mesh(), l.meshDecoding()));
            FiniteJson.put(decoding, "in_process_decode_ms", ThroughputLevel.decodeMsPerSearch(l.inProcess(), l.inProcessDecoding()));
        }
        return root;
    }

    private static ObjectNode run(ObjectMapper m, LoadRun r) {
        ObjectNode o = m.createObjectNode();
        o.put("completed_in_window", r.completedInWindow());
        o.put("completed", r.completed());
        FiniteJson.put(o, "searches_per_s", r.throughput());
        o.set("latency", stats(m, r.latency()));
        o.put("failed", r.failed());
        o.put("rejected_resource_exhausted", r.rejected());
        FiniteJson.put(o, "level_s", r.levelSeconds());
        FiniteJson.put(o, "cpu_s", r.cpuSeconds());
        FiniteJson.put(o, "jit_cpu_s", r.jitCpuSeconds());
        FiniteJson.put(o, "cores_used", r.coresUsed());
        FiniteJson.put(o, "searches_per_cpu_s", r.searchesPerCpuSecond());
        return o;
    }

    static ObjectNode stats(ObjectMapper m, LatencyStats s) {
        ObjectNode n = m.createObjectNode();
        n.put("count", s.count());
        FiniteJson.put(n, "mean_ms", s.meanMs());
        FiniteJson.put(n, "p50_ms", s.p50Ms());
        FiniteJson.put(n, "p99_ms", s.p99Ms());
        FiniteJson.put(n, "min_ms", s.minMs());
        FiniteJson.put(n, "max_ms", s.maxMs());
        return n;
    }

    private static String params(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(params).forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append('=').append(v));
        return b.toString();
    }

    private static String params(MethodSpec spec) {
        return spec.name() + " " + params(spec.params());
    }

    /** A share as a percentage; "n/a" when it could not be read. */
    private static String percent(double share) {
        return Double.isNaN(share) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    /** 15 rather than 15.0; 2.5 stays. */
    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
