package io.ttsmesh.orchestrator.kafka;

import com.google.protobuf.InvalidProtocolBufferException;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.ttsmesh.orchestrator.api.ProtoJson;
import io.ttsmesh.orchestrator.solving.InvalidRequest;
import io.ttsmesh.orchestrator.solving.SearchService;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.search.RequestId;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Solves the requests of tts.requests (SolveRequest JSON keyed by request id) as a member of the consumer
 * group. Each record runs on its own virtual thread, at most {@code tts.orchestrator.kafka.max-in-flight}
 * at once: beyond that the connector stops fetching (backpressure). A record is acknowledged, and so its
 * offset committed (throttled strategy: only once every earlier offset is acknowledged too), only after
 * its result or its dead letter is written.
 *
 * <p>Idempotence: a request whose id already has a result on tts.results ({@link ResultIndex}, read back
 * on start) is acknowledged without being solved again; a duplicate of a request being solved right now
 * waits for that one and is then acknowledged. A malformed or invalid record goes to tts.requests.dlq with
 * the reason, and the consumer goes on.
 */
@ApplicationScoped
public class SolveRequestConsumer {

    private static final Logger LOG = Logger.getLogger(SolveRequestConsumer.class);

    private final SearchService searches;
    private final ResultWriter writer;
    private final ResultIndex index;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, CompletableFuture<Void>> solving = new ConcurrentHashMap<>();

    SolveRequestConsumer(SearchService searches, ResultWriter writer, ResultIndex index, MeterRegistry registry) {
        this.searches = searches;
        this.writer = writer;
        this.index = index;
        this.registry = registry;
    }

    @Incoming("tts-requests")
    @RunOnVirtualThread
    public CompletionStage<Void> consume(Message<String> record) {
        try {
            String key = record.getMetadata(IncomingKafkaRecordMetadata.class)
                    .map(m -> m.getKey() == null ? null : m.getKey().toString()).orElse(null);
            SolveRequest request;
            try {
                request = parse(record.getPayload(), key);
            } catch (InvalidRequest e) {
                return deadLetter(record, e.getMessage());
            }
            index.awaitCaughtUp();
            String id = request.getRequestId();
            if (index.hasResult(id)) {
                count("duplicate");
                return record.ack();
            }
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> other = solving.putIfAbsent(id, mine);
            if (other != null) {
                other.join();
                count("duplicate");
                return record.ack();
            }
            try {
                SolveResult result;
                try {
                    result = searches.solveWaiting(request);
                } catch (InvalidRequest e) {
                    return deadLetter(record, e.getMessage());
                }
                writer.writeResult(result);
                index.add(id);
                count("solved");
                return record.ack();
            } finally {
                solving.remove(id, mine);
                mine.complete(null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return record.nack(e);
        } catch (RuntimeException e) {
            // The result could not be written (Kafka refused it past the retries): fail the channel rather
            // than commit the offset; the request is redelivered after a restart or rebalance.
            LOG.errorf(e, "request from %s not completed", key(record));
            return record.nack(e);
        }
    }

    private CompletionStage<Void> deadLetter(Message<String> record, String reason) {
        LOG.infof("request %s sent to the dead-letter topic: %s", key(record), reason);
        writer.writeDeadLetter(record, reason);
        count("dead_letter");
        return record.ack();
    }

    private static String key(Message<String> record) {
        return record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> m.getTopic() + "/" + m.getPartition() + "@" + m.getOffset() + " key " + m.getKey())
                .orElse("?");
    }

    /** Reads a record; the record key stands in for a missing request_id and must match a present one. */
    public static SolveRequest parse(String json, String key) {
        if (json == null || json.isBlank()) {
            throw new InvalidRequest("", "record value: empty; expected a SolveRequest as JSON");
        }
        SolveRequest.Builder request = SolveRequest.newBuilder();
        try {
            ProtoJson.parse(json, request);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new InvalidRequest(ProtoJson.blame(json, SolveRequest.newBuilder()), "record value is not a SolveRequest in JSON: " + e.getMessage());
        }
        if (request.getRequestId().isEmpty() && key != null) {
            request.setRequestId(key);
        }
        String badId = RequestId.problem(request.getRequestId());
        if (badId != null) {
            throw new InvalidRequest("request_id", badId);
        }
        if (key != null && !key.equals(request.getRequestId())) {
            throw new InvalidRequest("request_id", "'" + request.getRequestId() + "' differs from the record key '" + key + "'");
        }
        return request.build();
    }

    private void count(String outcome) {
        registry.counter("tts.orchestrator.kafka.requests", "outcome", outcome).increment();
    }
}
