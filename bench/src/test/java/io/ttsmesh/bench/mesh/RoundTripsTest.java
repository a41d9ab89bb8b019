package io.ttsmesh.bench.mesh;

import io.ttsmesh.search.MethodSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RoundTripsTest {

    private static final String GENERATOR = """
            # HELP tts_generator_session_commands_total Session commands received
            # TYPE tts_generator_session_commands_total counter
            tts_generator_session_commands_total{awaited="false",instance="g"} 40.0
            tts_generator_session_commands_total{awaited="true",instance="g"} 25.0
            tts_generator_generated_tokens_total 1234.0
            grpc_server_responses_sent_messages_total{method="Describe",methodType="UNARY",service="ttsmesh.generator.v1.Generator"} 3.0
            grpc_server_responses_sent_messages_total{method="Session",methodType="BIDI_STREAMING",service="ttsmesh.generator.v1.Generator"} 70.0
            tts_generator_session_event_bytes_total 4096.0
            """;
    private static final String VERIFIER = """
            tts_verifier_requests_total{transport="stream"} 7.0
            tts_verifier_requests_total{transport="unary"} 2.0
            tts_verifier_requests_ahead_total 3.0
            """;

    @Test
    void readsTheServicesCountsAndTheirDifference() {
        RoundTrips before = RoundTrips.of(GENERATOR, VERIFIER);
        assertThat(before).isEqualTo(new RoundTrips(25, 40, 9, 3, 70, 4096));
        RoundTrips after = new RoundTrips(37, 52, 15, 5, 95, 5000);
        RoundTrips search = after.minus(before);
        assertThat(search).isEqualTo(new RoundTrips(12, 12, 6, 2, 25, 904));
        // the two requests sent ahead overlapped the generation: 12 + 6 - 2
        assertThat(search.sequential()).isEqualTo(16);
    }

    @Test
    void aMissingMetricIsNotZeroRoundTrips() {
        RoundTrips none = RoundTrips.of("", "");
        assertThat(none.awaited()).isNaN();
        assertThat(none.verifierRequests()).isNaN();
        assertThat(none.verifierAhead()).isNaN();
        assertThat(none.sequential()).isNaN();
        assertThat(none.generatorMessages()).isNaN();
        assertThat(none.generatorBytes()).isNaN();
    }

    @Test
    void msPerRoundTripIsTheOverheadOverTheMeanSequentialTrips() {
        StrategyOverhead.Tally t = new StrategyOverhead.Tally(MethodSpec.of("beam_search", Map.of("n", "16")));
        t.add("q1", outcome(130), outcome(100), new RoundTrips(8, 10, 4, 0, 20, 1000));
        t.add("q2", outcome(150), outcome(120), new RoundTrips(10, 12, 8, 0, 30, 3000));
        StrategyOverhead s = t.result();
        assertThat(s.meanRoundTrips()).isEqualTo(new RoundTrips(9, 11, 6, 0, 25, 2000));
        // (140 - 110) ms over 15 sequential trips
        assertThat(s.msPerRoundTrip()).isEqualTo(2.0);
        assertThat(RoundTrips.mean(List.of()).sequential()).isNaN();
        StrategyOverhead uncounted = new StrategyOverhead.Tally(s.spec()).result();
        assertThat(uncounted.msPerRoundTrip()).isNaN();
    }

    private static SearchOutcome outcome(long wallMs) {
        return new SearchOutcome("3", List.of("1+2=3"), 100, 10, 16, "COMPLETED", "", null, wallMs * 1_000_000);
    }
}
