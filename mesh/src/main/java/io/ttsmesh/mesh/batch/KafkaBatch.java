package io.ttsmesh.mesh.batch;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A batch of solve requests through the Kafka plane: one record per request to tts.requests (key = request id,
 * value = the SolveRequest as JSON, the format the orchestrator's consumer reads), then tts.results is read
 * until every request has its result. Results are read from the end offsets taken before the first request was
 * sent, so only this batch's ids count; every record for them is counted, so a duplicate result is seen.
 */
public final class KafkaBatch {

    private static final JsonFormat.Printer JSON = JsonFormat.printer().preservingProtoFieldNames().omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    /** How long a batch waits for the results topic to exist. */
    private static final Duration TOPIC_WAIT = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final String requestsTopic;
    private final String resultsTopic;
    private final String deadLetterTopic;

    public KafkaBatch(String bootstrapServers, String requestsTopic, String resultsTopic, String deadLetterTopic) {
        this.bootstrapServers = bootstrapServers;
        this.requestsTopic = requestsTopic;
        this.resultsTopic = resultsTopic;
        this.deadLetterTopic = deadLetterTopic;
    }

    /**
     * What came back.
     *
     * @param results    the first result of each request id of the batch
     * @param records    result records per request id (1 = exactly once)
     * @param refused    requests the orchestrator sent to the dead-letter topic, with its reason
     * @param elapsed    from the first request sent to the last result read
     */
    public record Outcome(Map<String, SolveResult> results, Map<String, Integer> records, Map<String, String> refused,
                          Duration elapsed) {

        public Map<String, Integer> duplicates() {
            return records.entrySet().stream().filter(e -> e.getValue() > 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        }
    }

    /** Not every request had its result: some timed out or were refused. */
    public static final class BatchFailedException extends RuntimeException {
        private final Outcome partial;

        BatchFailedException(String message, Outcome partial) {
            super(message);
            this.partial = partial;
        }

        public Outcome partial() {
            return partial;
        }
    }

    /**
     * Sends the requests and waits for their results.
     *
     * @param settle      after the last result, how long to go on reading (a late duplicate would show here)
     * @param onResult    called with each request id's first result, on the calling thread
     */
    public Outcome run(List<SolveRequest> requests, Duration timeout, Duration settle, Consumer<SolveResult> onResult) {
        Set<String> ids = requests.stream().map(SolveRequest::getRequestId).collect(Collectors.toSet());
        if (ids.size() != requests.size()) {
            throw new IllegalArgumentException("request ids must be unique within a batch");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig());
             KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            assignAtEnd(consumer);
            long start = System.nanoTime();
            send(producer, requests, deadline);

            Map<String, SolveResult> results = new LinkedHashMap<>();
            Map<String, Integer> records = new TreeMap<>();
            Map<String, String> refused = new TreeMap<>();
            long lastResult = System.nanoTime();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null || !ids.contains(r.key())) {
                        continue;
                    }
                    if (r.topic().equals(deadLetterTopic)) {
                        var reason = r.headers().lastHeader("dead-letter-reason");
                        refused.put(r.key(), reason == null ? "no reason given" : new String(reason.value(), StandardCharsets.UTF_8));
                        continue;
                    }
                    records.merge(r.key(), 1, Integer::sum);
                    if (!results.containsKey(r.key())) {
                        SolveResult result = parse(r);
                        results.put(r.key(), result);
                        lastResult = System.nanoTime();
                        onResult.accept(result);
                    }
                }
                if (!refused.isEmpty()) {
                    break;
                }
                if (results.size() == ids.size() && settleUntil == Long.MAX_VALUE) {
                    settleUntil = System.nanoTime() + settle.toNanos();
                }
            }
            Outcome outcome = new Outcome(results, records, refused, Duration.ofNanos(lastResult - start));
            if (!refused.isEmpty()) {
                var first = refused.entrySet().iterator().next();
                throw new BatchFailedException(refused.size() + " request(s) refused by the orchestrator (on " + deadLetterTopic
                        + "), e.g. " + first.getKey() + ": " + first.getValue(), outcome);
            }
            if (results.size() < ids.size()) {
                List<String> missing = requests.stream().map(SolveRequest::getRequestId).filter(id -> !results.containsKey(id)).toList();
                throw new BatchFailedException(missing.size() + " of " + ids.size() + " requests had no result on "
                        + resultsTopic + " after " + timeout.toSeconds() + " s (first missing: "
                        + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
                        + "). Is an orchestrator with the Kafka plane on consuming " + requestsTopic + " at "
                        + bootstrapServers + "?", outcome);
            }
            return outcome;
        }
    }

    private void assignAtEnd(KafkaConsumer<String, String> consumer) {
        List<PartitionInfo> partitions;
        // The orchestrator creates its topics on a thread of their own once it has started, so a batch sent right
        // after it reports ready can ask before they exist: wait for them, bounded.
        long until = System.nanoTime() + TOPIC_WAIT.toNanos();
        while (true) {
            try {
                partitions = consumer.partitionsFor(resultsTopic, Duration.ofSeconds(30));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer in 30 s: " + e.getMessage(), e);
            }
            if ((partitions != null && !partitions.isEmpty()) || System.nanoTime() > until) {
                break;
            }
            io.ttsmesh.mesh.local.ChildProcess.pause(Duration.ofMillis(500));
        }
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("topic " + resultsTopic + " does not exist at " + bootstrapServers
                    + " after " + TOPIC_WAIT.toSeconds() + " s (the orchestrator creates it when its Kafka plane starts: is it running?)");
        }
        List<TopicPartition> tps = new ArrayList<>(partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList());
        List<PartitionInfo> dlq = consumer.partitionsFor(deadLetterTopic, Duration.ofSeconds(30));
        if (dlq != null) {
            dlq.forEach(p -> tps.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(tps);
        consumer.seekToEnd(tps);
        tps.forEach(consumer::position); // resolve the end offsets now, before any request is sent
    }

    private void send(KafkaProducer<String, String> producer, List<SolveRequest> requests, long deadline) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(requests.size());
        for (SolveRequest request : requests) {
            sent.add(producer.send(new ProducerRecord<>(requestsTopic, request.getRequestId(), json(request))));
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a request could not be written to " + requestsTopic + ": " + e.getCause().getMessage(), e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("writing the requests to " + requestsTopic + " timed out", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending the batch", e);
            }
        }
    }

    public static String json(SolveRequest request) {
        try {
            return JSON.print(request);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SolveResult parse(ConsumerRecord<String, String> r) {
        SolveResult.Builder b = SolveResult.newBuilder();
        try {
            PARSER.merge(r.value(), b);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("result for " + r.key() + " on " + r.topic() + " is not a SolveResult: " + e.getMessage(), e);
        }
        return b.build();
    }

    private Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    private Map<String, Object> producerConfig() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    }
}
