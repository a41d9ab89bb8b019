package io.ttsmesh.verifier.service;

import io.grpc.Context;
import io.grpc.Deadline;
import io.quarkus.grpc.GrpcService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.ttsmesh.proto.verifier.DescribeRequest;
import io.ttsmesh.proto.verifier.ScoreRequest;
import io.ttsmesh.proto.verifier.ScoreResponse;
import io.ttsmesh.proto.verifier.Verifier;
import io.ttsmesh.proto.verifier.VerifierCatalog;
import io.ttsmesh.verifier.VerifierEngine;

import java.net.InetAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The Verifier gRPC service: ScoreSteps, ScoreStream and Describe over the scoring engine. Requests are
 * encoded where they arrive (large ones on a worker thread) and answered asynchronously when their
 * micro-batches are done; the caller's gRPC deadline travels with the candidates, so ones still
 * queued when it passes are not run.
 */
@GrpcService
public class VerifierGrpcService implements Verifier {

    /** Calls with at most this many candidates are encoded on the thread that received them (no hand-off). */
    static final int INLINE_CANDIDATES = 64;
    /** Answers of one stream that may be in flight at once; more wait in the stream's flow control. */
    private static final int STREAM_CONCURRENCY = 1024;

    private final VerifierEngineHolder holder;
    private final VerifierConfig config;
    private final Counter unaryRequests;
    private final Counter streamRequests;
    private final Counter aheadRequests;

    public VerifierGrpcService(VerifierEngineHolder holder, VerifierConfig config, MeterRegistry registry) {
        this.holder = holder;
        this.config = config;
        // A score request is a round trip its search waits for, unless it was sent ahead (counted apart as well); the
        // transport says what it cost to carry.
        this.unaryRequests = Counter.builder("tts.verifier.requests").tag("transport", "unary")
                .description("score requests answered (each one a round trip its search waited for, unless sent ahead), "
                        + "by transport: unary ScoreSteps calls or messages on a ScoreStream")
                .register(registry);
        this.streamRequests = Counter.builder("tts.verifier.requests").tag("transport", "stream").register(registry);
        this.aheadRequests = Counter.builder("tts.verifier.requests.ahead")
                .description("score requests sent ahead (ScoreRequest.ahead: their search went on generating and read "
                        + "the answer later), also counted in tts_verifier_requests_total")
                .register(registry);
    }

    /**
     * A call of a search's size is handed to the engine on the gRPC thread that delivered it (encoding a few dozen
     * candidates takes tens of microseconds; the model runs on the batch workers), so it costs no hop to a worker
     * thread and back; a larger call is encoded on a worker thread, so it does not hold up the other calls.
     */
    @Override
    public Uni<ScoreResponse> scoreSteps(ScoreRequest request) {
        unaryRequests.increment();
        countAhead(request);
        Instant deadline = deadline(); // the gRPC context is this thread's
        if (request.getCandidatesCount() <= INLINE_CANDIDATES) {
            return score(request, deadline);
        }
        return Uni.createFrom().deferred(() -> score(request, deadline))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Uni<ScoreResponse> score(ScoreRequest request, Instant deadline) {
        try {
            VerifierEngine engine = holder.engine();
            return Uni.createFrom().completionStage(engine.score(ProtoMapping.request(request), deadline))
                    .map(results -> ProtoMapping.response(request.getRequestId(), results))
                    .onFailure().transform(ProtoMapping::status);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(ProtoMapping.status(e));
        }
    }

    /**
     * Requests are handed to the engine on the thread that delivers them (the engine only encodes the
     * candidates here and queues them for its batch workers, tens of microseconds for a search's batch), so a
     * request costs no thread hand-off on its way in; answers go out as their batches finish.
     */
    @Override
    public Multi<ScoreResponse> scoreStream(Multi<ScoreRequest> requests) {
        return requests.onItem().transformToUni(this::scoreOnStream).merge(STREAM_CONCURRENCY);
    }

    private Uni<ScoreResponse> scoreOnStream(ScoreRequest request) {
        streamRequests.increment();
        countAhead(request);
        if (request.getCandidatesCount() > INLINE_CANDIDATES) {
            return Uni.createFrom().deferred(() -> scoreOnStreamHere(request))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return scoreOnStreamHere(request);
    }

    private Uni<ScoreResponse> scoreOnStreamHere(ScoreRequest request) {
        long callId = request.getCallId();
        try {
            if (callId == 0) {
                throw io.grpc.Status.INVALID_ARGUMENT.withDescription("call_id is required on every ScoreStream request "
                        + "(unique within the stream)").asRuntimeException();
            }
            Instant deadline = Instant.now().plus(request.getTimeoutMs() == 0 ? config.defaultDeadline()
                    : java.time.Duration.ofMillis(Integer.toUnsignedLong(request.getTimeoutMs())));
            return Uni.createFrom().completionStage(holder.engine().score(ProtoMapping.request(request), deadline))
                    .map(results -> ProtoMapping.response(request.getRequestId(), results).toBuilder().setCallId(callId).build())
                    .onFailure().recoverWithItem(t -> ProtoMapping.refusal(request, t));
        } catch (RuntimeException e) {
            return Uni.createFrom().item(ProtoMapping.refusal(request, e));
        }
    }

    private void countAhead(ScoreRequest request) {
        if (request.getAhead()) {
            aheadRequests.increment();
        }
    }

    private Instant deadline() {
        Deadline d = Context.current().getDeadline();
        return d == null ? Instant.now().plus(config.defaultDeadline())
                : Instant.now().plusNanos(d.timeRemaining(TimeUnit.NANOSECONDS));
    }

    @Override
    public Uni<VerifierCatalog> describe(DescribeRequest request) {
        try {
            VerifierEngine engine = holder.engine();
            VerifierCatalog.Builder catalog = VerifierCatalog.newBuilder().setInstance(instance())
                    .setTask(engine.task());
            engine.describe().forEach(i -> catalog.addVerifiers(ProtoMapping.info(i)));
            return Uni.createFrom().item(catalog.build());
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(ProtoMapping.status(e));
        }
    }

    private String instance() {
        return config.instance().orElseGet(() -> {
            String host = System.getenv("HOSTNAME");
            if (host != null && !host.isBlank()) {
                return host;
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                return "verifier";
            }
        });
    }
}
