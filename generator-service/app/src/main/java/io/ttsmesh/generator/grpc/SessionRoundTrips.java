package io.ttsmesh.generator.grpc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The generator's own count of sequential round trips: a command the client waits for is one, a command it
 * sent ahead without waiting (SessionCommand.pipelined) is not. Per session it goes into Closed; over the pod
 * it is tts_generator_session_commands_total{awaited=true|false} and, per closed session,
 * tts_generator_session_round_trips (a summary: count = sessions, sum = awaited commands). Beside them, what the
 * answers weigh: tts_generator_session_event_bytes_total, the protobuf bytes of the events sent (before gRPC's
 * framing), so a change to what a step carries shows in bytes per search.
 */
@ApplicationScoped
public class SessionRoundTrips {

    private final Counter awaited;
    private final Counter pipelined;
    private final DistributionSummary perSession;
    private final Counter eventBytes;

    public SessionRoundTrips(MeterRegistry registry) {
        this.awaited = Counter.builder("tts.generator.session.commands").tag("awaited", "true")
                .description("Session commands received: awaited=true the client waited for the answer (a sequential "
                        + "round trip), awaited=false sent ahead of the command that needs it")
                .register(registry);
        this.pipelined = Counter.builder("tts.generator.session.commands").tag("awaited", "false").register(registry);
        this.perSession = DistributionSummary.builder("tts.generator.session.round.trips")
                .description("awaited commands per closed session (sequential round trips of one search to this pod)")
                .register(registry);
        this.eventBytes = Counter.builder("tts.generator.session.event.bytes").baseUnit("bytes")
                .description("protobuf bytes of the Session events sent, before gRPC framing")
                .register(registry);
    }

    /** {@code bytes}: the event's serialized size (protobuf keeps it, so writing it later does not count again). */
    void eventSent(int bytes) {
        eventBytes.increment(bytes);
    }

    void command(boolean wasPipelined) {
        (wasPipelined ? pipelined : awaited).increment();
    }

    void sessionClosed(int awaitedCommands) {
        perSession.record(awaitedCommands);
    }
}
