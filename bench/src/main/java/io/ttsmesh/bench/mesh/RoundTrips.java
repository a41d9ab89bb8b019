package io.ttsmesh.bench.mesh;

import io.ttsmesh.mesh.local.PrometheusText;

import java.util.List;

/**
 * The sequential round trips of mesh searches as the services count them: the generator's session commands its
 * client waited for ({@code tts_generator_session_commands_total{awaited="true"}}) and those sent ahead without
 * waiting ({@code awaited="false"}), and the verifier's score requests ({@code tts_verifier_requests_total}) less
 * those sent ahead while the search's other branches were still generating ({@code tts_verifier_requests_ahead_total});
 * beside them, the messages the generator sent on Session streams (gRPC's own
 * {@code grpc_server_responses_sent_messages_total{method="Session"}}: answers, step batches), what the client
 * reads, and their protobuf bytes ({@code tts_generator_session_event_bytes_total}). Read before and after a search
 * that runs alone, the difference is that search's.
 */
record RoundTrips(double awaited, double pipelined, double verifierRequests, double verifierAhead,
                  double generatorMessages, double generatorBytes) {

    static final RoundTrips NONE = new RoundTrips(0, 0, 0, 0, 0, 0);

    /** A metric a service does not expose reads as NaN, so that a missing count cannot pass for zero round trips. */
    static RoundTrips of(String generatorMetrics, String verifierMetrics) {
        return new RoundTrips(
                PrometheusText.value(generatorMetrics, "tts_generator_session_commands_total", "awaited=\"true\"").orElse(Double.NaN),
                PrometheusText.value(generatorMetrics, "tts_generator_session_commands_total", "awaited=\"false\"").orElse(Double.NaN),
                PrometheusText.value(verifierMetrics, "tts_verifier_requests_total").orElse(Double.NaN),
                PrometheusText.value(verifierMetrics, "tts_verifier_requests_ahead_total").orElse(Double.NaN),
                PrometheusText.value(generatorMetrics, "grpc_server_responses_sent_messages_total", "method=\"Session\"").orElse(Double.NaN),
                PrometheusText.value(generatorMetrics, "tts_generator_session_event_bytes_total").orElse(Double.NaN));
    }

    RoundTrips minus(RoundTrips before) {
        return new RoundTrips(awaited - before.awaited, pipelined - before.pipelined, verifierRequests - before.verifierRequests,
                verifierAhead - before.verifierAhead, generatorMessages - before.generatorMessages,
                generatorBytes - before.generatorBytes);
    }

    /**
     * What the search waited for one after another: awaited generator commands plus the verifier requests not sent
     * ahead (one sent ahead overlaps the generation of the step's other branches).
     */
    double sequential() {
        return awaited + verifierRequests - verifierAhead;
    }

    /** Per-search mean of each count; NaN each when there are none. */
    static RoundTrips mean(List<RoundTrips> searches) {
        if (searches.isEmpty()) {
            return new RoundTrips(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double a = 0;
        double p = 0;
        double v = 0;
        double ahead = 0;
        double m = 0;
        double b = 0;
        for (RoundTrips r : searches) {
            a += r.awaited;
            p += r.pipelined;
            v += r.verifierRequests;
            ahead += r.verifierAhead;
            m += r.generatorMessages;
            b += r.generatorBytes;
        }
        int n = searches.size();
        return new RoundTrips(a / n, p / n, v / n, ahead / n, m / n, b / n);
    }
}
