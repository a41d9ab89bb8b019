package io.ttsmesh.orchestrator.kafka;

import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.ttsmesh.orchestrator.OrchestratorConfig;
import io.ttsmesh.orchestrator.api.ProtoJson;
import io.ttsmesh.proto.events.SolveResult;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;

/**
 * Writes results to tts.results (key = request id, value = SolveResult JSON) and refused requests to
 * tts.requests.dlq. Both block the calling (virtual) thread until Kafka acknowledged the record, so the
 * request's offset is committed only after its outcome is safely written. A result Kafka refuses is retried
 * with backoff (SmallRye Fault Tolerance) for the configured time; results are never dropped.
 */
@ApplicationScoped
public class ResultWriter {

    private final MutinyEmitter<String> results;
    private final MutinyEmitter<String> deadLetters;
    private final Guard retry;

    ResultWriter(OrchestratorConfig config,
                 @Channel("tts-results") MutinyEmitter<String> results,
                 @Channel("tts-dead-letters") MutinyEmitter<String> deadLetters) {
        this.results = results;
        this.deadLetters = deadLetters;
        long timeout = config.kafka().resultWriteTimeout().toMillis();
        this.retry = Guard.create()
                .withDescription("write to tts.results")
                .withRetry()
                .maxRetries(-1)
                .maxDuration(timeout, ChronoUnit.MILLIS)
                .delay(200, ChronoUnit.MILLIS)
                .withExponentialBackoff().factor(2).maxDelay(10, ChronoUnit.SECONDS).done()
                .done()
                .build();
    }

    public void writeResult(SolveResult result) {
        String json = ProtoJson.print(result);
        var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(result.getRequestId()).build();
        retry.get(() -> {
            results.sendMessageAndAwait(Message.of(json, Metadata.of(metadata)));
            return null;
        }, Void.class);
    }

    /**
     * Sends a refused request to the dead-letter topic as it came (same key and value), with headers saying
     * why and where it came from (the names SmallRye's own dead-letter queue uses).
     */
    public void writeDeadLetter(Message<String> request, String reason) {
        var headers = new RecordHeaders();
        headers.add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
        String key = null;
        var incoming = request.getMetadata(IncomingKafkaRecordMetadata.class);
        if (incoming.isPresent()) {
            var in = (IncomingKafkaRecordMetadata<?, ?>) incoming.get();
            key = in.getKey() == null ? null : in.getKey().toString();
            headers.add("dead-letter-topic", in.getTopic().getBytes(StandardCharsets.UTF_8));
            headers.add("dead-letter-partition", Integer.toString(in.getPartition()).getBytes(StandardCharsets.UTF_8));
            headers.add("dead-letter-offset", Long.toString(in.getOffset()).getBytes(StandardCharsets.UTF_8));
        }
        var metadata = OutgoingKafkaRecordMetadata.<String>builder().withKey(key).withHeaders(headers).build();
        String value = request.getPayload() == null ? "" : request.getPayload();
        retry.get(() -> {
            deadLetters.sendMessageAndAwait(Message.of(value, Metadata.of(metadata)));
            return null;
        }, Void.class);
    }
}
