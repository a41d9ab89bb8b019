package io.ttsmesh.bench.mesh;

import io.ttsmesh.bench.BenchJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.search.MethodSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReportsTest {

    private static final GeneratorCounters NO_DECODING = new GeneratorCounters(0, 0, 0, 0);

    private static final ObjectMapper JSON = BenchJson.MAPPER;
    private static final RunContext CONTEXT = new RunContext("java -jar bench/target/tts-bench.jar mesh-x --n 16",
            Instant.parse("2026-11-23T20:00:00Z"), Duration.ofSeconds(300),
            new MachineFacts(2, "Test CPU", 24_000, "Temurin 25", "Linux", new JitThresholds("0.1")),
            MachineLoad.Summary.of(List.of(3.0, 5.0, 4.0)), 1);

    /** A warm-up round whose services' JIT took {@code servicesJit} of their CPU (of 1 s), this JVM's 1%. */
    private static WarmupRound round(int i, double mesh, double inProcess, double servicesJit) {
        return new WarmupRound(i, 2, mesh, inProcess, new JitShare((long) (servicesJit * 1e9), 1_000_000_000),
                new JitShare(10_000_000, 1_000_000_000));
    }

    private static SearchOutcome outcome(String answer, long tokens, long wallMs) {
        return new SearchOutcome(answer, List.of("1+2=3", "A: 3"), tokens, 10, 16, "COMPLETED", "", null, wallMs * 1_000_000);
    }

    @Test
    void overheadReportComparesPairsAndNamesTheGoal() throws Exception {
        StrategyOverhead.Tally fast = new StrategyOverhead.Tally(MethodSpec.of("best_of_n", Map.of("n", "16")));
        fast.add("q1", outcome("3", 100, 105), outcome("3", 100, 100), new RoundTrips(2, 3, 1, 0, 4, 900));
        fast.add("q2", outcome("7", 90, 105), outcome("7", 90, 100), new RoundTrips(2, 3, 1, 0, 4, 900));
        StrategyOverhead.Tally slow = new StrategyOverhead.Tally(MethodSpec.of("mcts", Map.of("iterations", "16")));
        slow.add("q1", outcome("3", 100, 300), outcome("4", 100, 200), new RoundTrips(30, 10, 20, 0, 60, 12000));
        slow.add("q2", new SearchOutcome(null, List.of(), 0, 0, 0, "FAILED", "no generator", "UNAVAILABLE", 5_000_000),
                outcome("7", 90, 200), new RoundTrips(1, 1, 1, 0, 2, 300));
        StrategyOverhead.Tally coldFast = new StrategyOverhead.Tally(MethodSpec.of("best_of_n", Map.of("n", "16")));
        coldFast.add("c1", outcome("3", 100, 900), outcome("3", 100, 300));
        StrategyOverhead.Tally coldSlow = new StrategyOverhead.Tally(MethodSpec.of("mcts", Map.of("iterations", "16")));
        coldSlow.add("c2", outcome("3", 100, 600), outcome("3", 100, 300));
        ColdStart cold = new ColdStart(2, List.of(coldFast.result(), coldSlow.result()));
        LatencyStats lat = LatencyStats.ofNanos(List.of(500_000_000L));
        BulkWarmup bulk = new BulkWarmup(50, 4, 10, List.of(
                new BulkWarmup.Slice(1, "mesh", 30, new LoadRun(4, 10, 11, 30, 30, 0, 0, lat, 8, 2)),
                new BulkWarmup.Slice(2, "in-process", 60, new LoadRun(4, 10, 10, 60, 60, 0, 0, lat, 6, 0.3)),
                new BulkWarmup.Slice(3, "mesh", 65, new LoadRun(4, 10, 11, 35, 35, 0, 0, lat, 8, 0.4))),
                BulkWarmup.Ending.SERVED, 32.5);
        WarmupCurve curve = new WarmupCurve(bulk, List.of(round(1, 800, 400, 0.30), round(2, 420, 400, 0.05),
                round(3, 410, 400, 0.01), round(4, 415, 401, 0)), WarmupCurve.Ending.STEADY, 40, 3, 12.4);
        Map<String, Double> cpuAt16 = new LinkedHashMap<>();
        cpuAt16.put("orchestrator", 7.2);
        cpuAt16.put("generator", 21.6);
        cpuAt16.put("client", 7.2);
        OverheadReport.Throughput load = new OverheadReport.Throughput(MethodSpec.of("beam_search", Map.of("n", "16")), 15, 3, 30,
                16, 0.8, List.of(new ThroughputLevel(1, new LoadRun(1, 15, 16, 30, 31, 0, 0, lat, 40, 0),
                        new LoadRun(1, 15, 15, 50, 50, 0, 0, lat, 25, 0), 0, 0, Map.of(), NO_DECODING, NO_DECODING),
                new ThroughputLevel(16, new LoadRun(16, 15, 17, 60, 72, 0, 1, lat, 36, 3.6),
                        new LoadRun(16, 15, 16, 80, 90, 0, 0, lat, 30, 0), 12, 6,
                        cpuAt16, new GeneratorCounters(2880, 360, 9000, 1800), new GeneratorCounters(2700, 225, 9000, 1350))),
                // the goal's level again: 80 mesh searches on 32 CPU s against 90 on 30
                List.of(new CpuPair(new LoadRun(16, 15, 16, 75, 80, 0, 0, lat, 32, 0),
                        new LoadRun(16, 15, 16, 85, 90, 0, 0, lat, 30, 0))));
        OverheadReport report = new OverheadReport(CONTEXT, 16, 7, 1.10, cold, curve, 3, 2,
                new JitShare(12_000_000, 1_000_000_000), JitShare.NONE, List.of(fast.result(), slow.result()), load, 10,
                List.of("steady state after 2 of 3 questions"));

        assertThat(report.strategies().get(0).meanRatio()).isEqualTo(1.05);
        assertThat(report.strategies().get(1).compared()).isEqualTo(1);
        assertThat(report.strategies().get(1).sameAnswer()).isZero();
        assertThat(report.strategiesMeetingGoal()).isEqualTo(1);
        assertThat(cold.overallRatio()).isEqualTo(2.5);
        // pooled over both pairs at 16, each pair weighted by its work: (72 + 80) / (36 + 32) against (90 + 90) / (30 + 30)
        assertThat(load.perCpuSecondRatioAtGoal()).isCloseTo((152 / 68.0) / 3.0, within(1e-12));
        assertThat(load.pairsAtGoal()).extracting(CpuPair::perCpuSecondRatio)
                .containsExactly((72 / 36.0) / (90 / 30.0), (80 / 32.0) / (90 / 30.0));
        assertThat(load.pairsMeetingGoal()).isEqualTo(1);
        String md = report.markdown();
        assertThat(md).contains("| best_of_n | n=16 | 105.0 | 105.0 | 100.0 | 100.0 | 1.050x | 1.050-1.050x | 1.050x | met | 2/2 | 2/2 | 0/0 |");
        // one compared mcts pair: no interval; best-of-N's pairs both 1.05x: below 1.10x beyond the noise
        assertThat(md).contains("| mcts | iterations=16 | 300.0 | 300.0 | 200.0 | 200.0 | 1.500x | n/a |")
                .contains("missed by none; met by best_of_n; within it: mcts.");
        assertThat(md).contains("| mcts | iterations=16 |").contains("missed").contains("| 0/1 | 0/1 | 1/0 |");
        assertThat(md).contains("mcts q2: failed: mesh UNAVAILABLE (no generator); in-process succeeded");
        assertThat(md).contains("mcts q1: mesh answer 3").contains("java -jar bench/target/tts-bench.jar mesh-x --n 16");
        assertThat(md).contains("**The cores are shared**")
                .contains("JIT compile thresholds: CompileThresholdScaling=0.1 in every JVM (this one and the services)")
                .contains("mesh/in-process 2.500x overall (total wall time, 2 pairs); with the JIT thresholds scaled as in this run");
        // the result names the three goals, in that order
        assertThat(md).containsSubsequence("## Result", "goal mesh/in-process <= 1.10x per strategy at N = 16:** 1 of 2",
                "at 16 concurrent searches, goal mesh/in-process >= 0.80x:** 0.745x pooled over 2 window pairs (each pair 0.667x, "
                        + "0.833x: 1 of 2 at or above the goal) (missed", "mesh/in-process 2.500x overall");
        assertThat(md).contains("Warm-up: bulk 65 mesh and 60 in-process searches (4 concurrent) in 33 s, ended: both paths "
                + "served the searches asked for, then 4 rounds in 12 s, ended steady");
        assertThat(bulk.served("mesh")).isEqualTo(65);
        assertThat(md).containsSubsequence("### Bulk: 4 concurrent searches per path", "![bulk warm-up curve](mesh-overhead-bulk.png)",
                "| 1 | mesh | 30 | 500.0 | 500.0 | 25.0% |",
                "| 3 | mesh | 65 | 500.0 | 500.0 | 5.0% |", "### Rounds until steady", "| 1 | 400.0 | 200.0 | 2.000x | 30.0% | 1.0% |");
        assertThat(md).contains("**Cut by the time limit (--max-minutes 10):** steady state after 2 of 3 questions.");
        assertThat(md).contains("| best_of_n | 1 | 900.0 | 300.0 | 3.000x |").contains("| **all** | 2 | | | **2.500x** (total) |");
        assertThat(md).contains("| 4 | 207.5 | 200.5 | 1.035x | 0.0% | 1.0% |").contains("![warm-up curve](mesh-overhead.png)");
        assertThat(md).contains("JIT compiler threads over the phase: 1.2% of the services' CPU, n/a of this JVM's.");
        // round trips: best_of_n 2 awaited + 1 verifier = 3 trips for 5 ms; mcts 50 trips for 100 ms
        assertThat(md).contains("| best_of_n | 2.0 | 3.0 | 1.0 | 0.0 | 3.0 | 4.0 | 0.9 | 5.0 | 1.67 |")
                .contains("| mcts | 30.0 | 10.0 | 20.0 | 0.0 | 50.0 | 60.0 | 12.0 | 100.0 | 2.00 |");
        assertThat(md).contains("in slices of 3 s until the JVMs' compiler threads took under 3% of a slice's CPU (at most 30 s;");
        assertThat(md).contains("| 16 | mesh | 12 | 60 | 4.00 | 500 | 500 | 1 | 0 | 36.0 | 10.0% | 2.12 | 2.00 |  |")
                .contains("| 16 | in-process | 6 | 80 | 5.33 | 500 | 500 | 0 | 0 | 30.0 | 0.0% | 1.88 | 3.00 | **0.667x** |");
        assertThat(md).containsSubsequence("### Per CPU-second at 16 concurrent, window pair by window pair",
                "| 1 (the level's) | 72 | 36.0 | 2.00 | 90 | 30.0 | 3.00 | 0.667x |", "| 2 | 80 | 32.0 | 2.50 | 90 | 30.0 | 3.00 | 0.833x |",
                "| **pooled** | | | | | | | **0.745x** |");
        // 72 mesh searches on 36 CPU s (orchestrator 7.2, generator 21.6, client 7.2) against 90 on 30 in-process
        assertThat(md).containsSubsequence("### CPU per search, by process",
                "| concurrent | in-process ms | mesh ms | mesh: orchestrator ms | mesh: generator ms | mesh: client ms | mesh - in-process ms |",
                "| 1 | 500.0 | 1290.3 | NaN | NaN | NaN | 790.3 |",
                "| 16 | 333.3 | 500.0 | 100.0 | 300.0 | 100.0 | 166.7 |");
        // 360 steps of 8 rows for 72 mesh searches against 225 of 12 for 90 in-process
        assertThat(md).contains("| 16 | 5.0 / 2.5 | 8.00 / 12.00 | 25.0 / 15.0 |");

        JsonNode json = JSON.readTree(JSON.writeValueAsString(report.json(JSON)));
        JsonNode steady = json.get("steady").get("strategies");
        assertThat(steady.get(0).get("ratio_mean").asDouble()).isEqualTo(1.05);
        assertThat(steady.get(0).get("goal_met").asBoolean()).isTrue();
        assertThat(steady.get(0).get("ratio_mean_95_high").asDouble()).isEqualTo(1.05);
        assertThat(steady.get(1).get("mesh_failures").asInt()).isEqualTo(1);
        assertThat(steady.get(1).get("round_trips_per_search").get("sequential").asDouble()).isEqualTo(50);
        assertThat(steady.get(1).get("ms_per_round_trip").asDouble()).isEqualTo(2.0);
        assertThat(json.get("cold").get("ratio_total").asDouble()).isEqualTo(2.5);
        assertThat(json.get("warmup").get("ending").asText()).isEqualTo("steady");
        assertThat(json.get("warmup").get("rounds")).hasSize(4);
        assertThat(json.get("warmup").get("rounds").get(0).get("jit_share_services").asDouble()).isEqualTo(0.3);
        assertThat(json.get("steady").get("jit_share_services").asDouble()).isEqualTo(0.012);
        assertThat(json.get("steady").get("jit_share_this_jvm").isNull()).isTrue();
        assertThat(json.get("warmup").get("bulk").get("slices")).hasSize(3);
        assertThat(json.get("warmup").get("bulk").get("slices").get(1).get("jit_share").asDouble()).isEqualTo(0.05);
        assertThat(json.get("throughput").get("per_cpu_second_ratio_at_goal").asDouble()).isEqualTo(0.745);
        assertThat(json.get("throughput").get("pairs_at_goal")).hasSize(2);
        assertThat(json.get("throughput").get("pairs_at_goal").get(1).get("per_cpu_second_ratio").asDouble()).isEqualTo(0.833);
        assertThat(json.get("throughput").get("goal_met").asBoolean()).isFalse();
        JsonNode at16 = json.get("throughput").get("levels").get(1);
        assertThat(at16.get("mesh_cpu_ms_per_search_by_process").get("generator").asDouble()).isEqualTo(300.0);
        assertThat(at16.get("generator_per_search").get("mesh_rows_per_step").asDouble()).isEqualTo(8.0);
        assertThat(at16.get("generator_per_search").get("in_process_decode_ms").asDouble()).isEqualTo(15.0);
        assertThat(json.get("cut_by_time_limit").get(0).asText()).isEqualTo("steady state after 2 of 3 questions");
        assertThat(json.get("run").get("machine").get("cores").asInt()).isEqualTo(2);
        assertThat(json.get("run").get("load_average_1m").get("max").asDouble()).isEqualTo(5.0);
    }

    @Test
    void theWarmupChartsArePngs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        BulkWarmup none = new BulkWarmup(0, 4, 10, List.of(), BulkWarmup.Ending.NONE, 0);
        WarmupCurve curve = new WarmupCurve(none, List.of(round(1, 1800, 900, 0.2), round(2, 1000, 880, 0.1)),
                WarmupCurve.Ending.TIME_CAP, 40, 3, 180.2);
        java.nio.file.Path png = dir.resolve("mesh-overhead.png");
        WarmupChart.write(curve, png);
        byte[] head = java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(png), 4);
        assertThat(head).containsExactly(0x89, 'P', 'N', 'G');
        LatencyStats lat = LatencyStats.ofNanos(List.of(100_000_000L));
        BulkWarmup bulk = new BulkWarmup(100, 4, 10, List.of(
                new BulkWarmup.Slice(1, "mesh", 50, new LoadRun(4, 10, 11, 50, 50, 0, 0, lat, 8, 2)),
                new BulkWarmup.Slice(2, "in-process", 60, new LoadRun(4, 10, 10, 60, 60, 0, 0, lat, 6, 0.3))),
                BulkWarmup.Ending.TIME_CAP, 21);
        java.nio.file.Path bulkPng = dir.resolve("mesh-overhead-bulk.png");
        WarmupChart.writeBulk(bulk, bulkPng);
        assertThat(java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(bulkPng), 4)).containsExactly(0x89, 'P', 'N', 'G');
    }

    @Test
    void loadReportRatesThroughputAgainstOneClient() throws Exception {
        LatencyStats lat = LatencyStats.ofNanos(List.of(1_000_000_000L, 2_000_000_000L));
        LoadReport report = new LoadReport(CONTEXT, MethodSpec.of("beam_search", Map.of("n", "8")), 20, 7, 40, 16, 4.0,
                List.of(new LoadLevel(new LoadRun(1, 40, 42, 20, 21, 0, 0, lat, 30, 0), 4.0, 500),
                        new LoadLevel(new LoadRun(16, 40, 50, 60, 70, 3, 1, lat, 80, 0), Double.NaN, 1500)));
        assertThat(report.speedup()).isEqualTo(3.0);
        assertThat(report.cpuNormalizedSpeedup()).isEqualTo((70 / 80.0) / (21 / 30.0));
        String md = report.markdown();
        assertThat(md).contains("Measured: **3.00x** (missed)");
        assertThat(md).contains("| 16 | 60 | 1.50 | 1000 | 2000 | 1500 | 3 | 1 | n/a | 1500 | 80.0 | 1.60 | 0.88 |");

        JsonNode json = JSON.readTree(JSON.writeValueAsString(report.json(JSON)));
        assertThat(json.get("goal_met").asBoolean()).isFalse();
        assertThat(json.get("levels").get(1).get("generator_batch_rows_mean").isNull()).isTrue();
        assertThat(json.get("levels").get(0).get("searches_per_s").asDouble()).isEqualTo(0.5);
    }

    @Test
    void loadReportWithoutTheOneClientLevelHasNoSpeedup() {
        LoadReport report = new LoadReport(CONTEXT, MethodSpec.of("beam_search", Map.of("n", "8")), 20, 7, 40, 16, 4.0,
                List.of(new LoadLevel(new LoadRun(16, 40, 41, 60, 70, 0, 0, LatencyStats.EMPTY, 1, 0), 1, 1)));
        assertThat(report.speedup()).isNaN();
        assertThat(report.markdown()).contains("not measured");
    }
}
