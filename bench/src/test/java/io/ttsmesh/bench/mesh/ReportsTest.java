package io.ttsmesh.bench.mesh;

import io.ttsmesh.bench.BenchJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.search.MethodSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportsTest {

    private static final ObjectMapper JSON = BenchJson.MAPPER;
    private static final RunContext CONTEXT = new RunContext("java -jar bench/target/tts-bench.jar mesh-x --n 16",
            Instant.parse("2026-11-23T20:00:00Z"), Duration.ofSeconds(300),
            new MachineFacts(2, "Test CPU", 24_000, "Temurin 25", "Linux"),
            MachineLoad.Summary.of(List.of(3.0, 5.0, 4.0)), 1);

    private static SearchOutcome outcome(String answer, long tokens, long wallMs) {
        return new SearchOutcome(answer, List.of("1+2=3", "A: 3"), tokens, 10, 16, "COMPLETED", "", null, wallMs * 1_000_000);
    }

    @Test
    void overheadReportComparesPairsAndNamesTheGoal() throws Exception {
        StrategyOverhead.Tally fast = new StrategyOverhead.Tally(MethodSpec.of("best_of_n", Map.of("n", "16")));
        fast.add("q1", outcome("3", 100, 110), outcome("3", 100, 100));
        fast.add("q2", outcome("7", 90, 110), outcome("7", 90, 100));
        StrategyOverhead.Tally slow = new StrategyOverhead.Tally(MethodSpec.of("mcts", Map.of("iterations", "16")));
        slow.add("q1", outcome("3", 100, 300), outcome("4", 100, 200));
        slow.add("q2", new SearchOutcome(null, List.of(), 0, 0, 0, "FAILED", "no generator", "UNAVAILABLE", 5_000_000), outcome("7", 90, 200));
        OverheadReport report = new OverheadReport(CONTEXT, 16, 2, 2, 1, 7, 1.15, List.of(fast.result(), slow.result()));

        assertThat(report.strategies().get(0).meanRatio()).isEqualTo(1.1);
        assertThat(report.strategies().get(1).compared()).isEqualTo(1);
        assertThat(report.strategies().get(1).sameAnswer()).isZero();
        assertThat(report.strategiesMeetingGoal()).isEqualTo(1);
        String md = report.markdown();
        assertThat(md).contains("| best_of_n | n=16 | 110.0 | 110.0 | 100.0 | 100.0 | 1.100x | 1.100x | met | 2/2 | 2/2 | 0/0 |");
        assertThat(md).contains("| mcts | iterations=16 |").contains("missed").contains("| 0/1 | 0/1 | 1/0 |");
        assertThat(md).contains("mcts q2: failed: mesh UNAVAILABLE (no generator); in-process succeeded");
        assertThat(md).contains("mcts q1: mesh answer 3").contains("java -jar bench/target/tts-bench.jar mesh-x --n 16");
        assertThat(md).contains("**The machine is shared**");

        JsonNode json = JSON.readTree(JSON.writeValueAsString(report.json(JSON)));
        assertThat(json.get("strategies").get(0).get("ratio_mean").asDouble()).isEqualTo(1.1);
        assertThat(json.get("strategies").get(0).get("goal_met").asBoolean()).isTrue();
        assertThat(json.get("strategies").get(1).get("mesh_failures").asInt()).isEqualTo(1);
        assertThat(json.get("run").get("machine").get("cores").asInt()).isEqualTo(2);
        assertThat(json.get("run").get("load_average_1m").get("max").asDouble()).isEqualTo(5.0);
    }

    @Test
    void loadReportRatesThroughputAgainstOneClient() throws Exception {
        LatencyStats lat = LatencyStats.ofNanos(List.of(1_000_000_000L, 2_000_000_000L));
        LoadReport report = new LoadReport(CONTEXT, MethodSpec.of("beam_search", Map.of("n", "8")), 20, 7, 40, 16, 4.0,
                List.of(new LoadLevel(1, 40, 42, 20, 21, 0, 0, lat, 4.0, 500, 30),
                        new LoadLevel(16, 40, 50, 60, 70, 3, 1, lat, Double.NaN, 1500, 80)));
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
                List.of(new LoadLevel(16, 40, 41, 60, 70, 0, 0, LatencyStats.EMPTY, 1, 1, 1)));
        assertThat(report.speedup()).isNaN();
        assertThat(report.markdown()).contains("not measured");
    }
}
