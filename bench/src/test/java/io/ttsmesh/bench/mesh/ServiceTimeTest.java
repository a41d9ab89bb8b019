package io.ttsmesh.bench.mesh;

import io.ttsmesh.search.MethodSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ServiceTimeTest {

    private static final String GENERATOR = """
            # TYPE tts_generator_decode_step_seconds summary
            tts_generator_decode_step_seconds_count 120.0
            tts_generator_decode_step_seconds_sum 0.75
            tts_generator_decode_step_seconds_max 0.004
            """;
    private static final String VERIFIER = """
            # TYPE tts_verifier_batch_duration_seconds summary
            tts_verifier_batch_duration_seconds_count 9.0
            tts_verifier_batch_duration_seconds_sum 0.125
            """;
    private static final String ORCHESTRATOR = """
            tts_orchestrator_search_duration_seconds_count{stop_reason="COMPLETED",strategy="beam_search"} 3.0
            tts_orchestrator_search_duration_seconds_sum{stop_reason="COMPLETED",strategy="beam_search"} 0.25
            tts_orchestrator_search_duration_seconds_count{stop_reason="BUDGET",strategy="mcts"} 1.0
            tts_orchestrator_search_duration_seconds_sum{stop_reason="BUDGET",strategy="mcts"} 0.05
            """;

    @Test
    void readsTheServicesTimersInMillisecondsOverAllTheirSeries() {
        ServiceTime before = ServiceTime.of(GENERATOR, VERIFIER, ORCHESTRATOR);
        assertThat(before.decodeMs()).isCloseTo(750, within(1e-9));
        assertThat(before.verifierMs()).isCloseTo(125, within(1e-9));
        assertThat(before.searchMs()).isCloseTo(300, within(1e-9));
        assertThat(before.searches()).isEqualTo(4);
        ServiceTime search = new ServiceTime(790, 140, 360, 5).minus(before);
        assertThat(search.decodeMs()).isCloseTo(40, within(1e-9));
        assertThat(search.modelMs()).isCloseTo(55, within(1e-9));
        assertThat(search.searchMs()).isCloseTo(60, within(1e-9));
        assertThat(search.searches()).isEqualTo(1);
    }

    @Test
    void aMissingTimerIsNotNoTime() {
        ServiceTime none = ServiceTime.of("", "", "");
        assertThat(none.decodeMs()).isNaN();
        assertThat(none.verifierMs()).isNaN();
        assertThat(none.searchMs()).isNaN();
    }

    @Test
    void theInProcessClockSumsTheEnginesHooks() {
        InProcessModelClock clock = new InProcessModelClock();
        clock.decodeStep(16, 2_000_000);
        clock.decodeStep(8, 1_500_000);
        clock.batch(16, 800, 700, Duration.ofMillis(4));
        ServiceTime read = clock.read();
        assertThat(read.decodeMs()).isEqualTo(3.5);
        assertThat(read.verifierMs()).isEqualTo(4.0);
        assertThat(read.searchMs()).isNaN();
    }

    @Test
    void theOverheadSplitsIntoTheSolveCallTheModelsAndTheDataPlane() {
        StrategyOverhead.Tally t = new StrategyOverhead.Tally(MethodSpec.of("beam_search", Map.of("n", "16")));
        // walls 130/100 and 150/120; the orchestrator's searches 128 and 146; the services' models 4 and 6 ms longer
        t.add("q1", outcome(130), outcome(100), new RoundTrips(8, 10, 4, 0, 20, 1000), new ServiceTime(52, 30, 128, 1),
                new ServiceTime(50, 28, Double.NaN, Double.NaN));
        t.add("q2", outcome(150), outcome(120), new RoundTrips(10, 12, 8, 0, 30, 3000), new ServiceTime(70, 40, 146, 1),
                new ServiceTime(66, 38, Double.NaN, Double.NaN));
        StrategyOverhead s = t.result();
        assertThat(s.timed()).hasSize(2);
        // 30 ms of overhead: 3 in the Solve call (140 - 137), 5 in the models, 22 in the data plane (137 - 110 - 5)
        assertThat(s.msAtTheSolveEdge()).isCloseTo(3, within(1e-9));
        assertThat(s.msInTheModels()).isCloseTo(5, within(1e-9));
        assertThat(s.msInTheDataPlane()).isCloseTo(22, within(1e-9));
        assertThat(new StrategyOverhead.Tally(s.spec()).result().msInTheDataPlane()).isNaN();
    }

    @Test
    void theSplitComparesOnlyThePairsWhoseTimesWereRead() {
        StrategyOverhead.Tally t = new StrategyOverhead.Tally(MethodSpec.of("dvts", Map.of("n", "16")));
        t.add("q1", outcome(130), outcome(100), null, new ServiceTime(52, 30, 128, 1),
                new ServiceTime(50, 28, Double.NaN, Double.NaN));
        // a search that did not settle in time to be read: its 400 ms would skew the walls' side of the split
        t.add("q2", outcome(400), outcome(100), null, null, null);
        StrategyOverhead s = t.result();
        assertThat(s.mesh().meanMs()).isCloseTo(265, within(1e-9));
        assertThat(s.msOverheadOfTimedPairs()).isCloseTo(30, within(1e-9));
        assertThat(s.msAtTheSolveEdge()).isCloseTo(2, within(1e-9));
        assertThat(s.msAtTheSolveEdge() + s.msInTheModels() + s.msInTheDataPlane())
                .isCloseTo(s.msOverheadOfTimedPairs(), within(1e-9));
    }

    @Test
    void aPairWithoutTimesCountsForTheWallTimesOnly() {
        StrategyOverhead.Tally t = new StrategyOverhead.Tally(MethodSpec.of("mcts", Map.of("iterations", "16")));
        t.add("q1", outcome(130), outcome(100), null, null, new ServiceTime(1, 1, Double.NaN, Double.NaN));
        StrategyOverhead s = t.result();
        assertThat(s.compared()).isEqualTo(1);
        assertThat(s.timed()).isEmpty();
        assertThat(s.msInTheModels()).isNaN();
    }

    private static SearchOutcome outcome(long wallMs) {
        return new SearchOutcome("3", List.of("1+2=3"), 100, 10, 16, "COMPLETED", "", null, wallMs * 1_000_000);
    }
}
