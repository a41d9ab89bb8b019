package io.ttsmesh.orchestrator.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.orchestrator.api.ProtoJson;
import io.ttsmesh.orchestrator.api.SolveRequests;
import io.ttsmesh.orchestrator.testing.KafkaBrokerResource;
import io.ttsmesh.orchestrator.testing.ScriptedMeshResource;
import io.ttsmesh.proto.generator.SessionCommand;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka plane against a real broker (KRaft, in this JVM), read and written by plain Kafka clients as a
 * user's tools would: jobs in and results out, idempotence under redelivery, the dead-letter topic, and the
 * event stream as CloudEvents JSON in order per request.
 */
@QuarkusTest
@WithTestResource(ScriptedMeshResource.class)
@WithTestResource(KafkaBrokerResource.class)
class KafkaPlaneTest {

    @jakarta.inject.Inject
    ObjectMapper json;

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    private static void send(String key, String value) {
        try (var producer = producer()) {
            producer.send(new ProducerRecord<>("tts.requests", key, value));
        }
    }

    /** Reads a topic from the beginning until {@code done} holds for what was read (or 60 s pass). */
    private static List<ConsumerRecord<String, String>> read(String topic, Predicate<List<ConsumerRecord<String, String>>> done) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
            long until = System.currentTimeMillis() + 60_000;
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.currentTimeMillis() < until) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!done.test(records) && System.currentTimeMillis() < until) {
                consumer.poll(Duration.ofMillis(300)).forEach(records::add);
            }
        }
        return records;
    }

    private static long count(List<ConsumerRecord<String, String>> records, String key) {
        return records.stream().filter(r -> key.equals(r.key())).count();
    }

    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry registry;

    private double duplicates() {
        var counter = registry.find("tts.orchestrator.kafka.requests").tag("outcome", "duplicate").counter();
        return counter == null ? 0 : counter.count();
    }

    private static long starts(String requestId) {
        List<SessionCommand> all = new ArrayList<>(ScriptedMeshResource.generatorA.received());
        all.addAll(ScriptedMeshResource.generatorB.received());
        return all.stream().filter(c -> c.getRequestId().equals(requestId) && c.hasStart()).count();
    }

    @Test
    void aRequestIsSolvedOnceAndItsResultWrittenOnceEvenWhenRedelivered() throws Exception {
        String request = SolveRequests.bestOfNJson("kafka-1", "2+3", 4);
        send("kafka-1", request);
        var results = read("tts.results", r -> count(r, "kafka-1") >= 1);
        assertThat(count(results, "kafka-1")).isEqualTo(1);
        JsonNode result = json.readTree(results.stream().filter(r -> "kafka-1".equals(r.key())).findFirst().orElseThrow().value());
        assertThat(result.get("answer").asText()).isEqualTo("5");
        assertThat(result.get("request_id").asText()).isEqualTo("kafka-1");

        // The same record again (as after a crash before the commit), then a marker behind it.
        double duplicates = duplicates();
        send("kafka-1", request);
        send("kafka-2", SolveRequests.bestOfNJson("kafka-2", "1+1", 2));
        results = read("tts.results", r -> count(r, "kafka-2") >= 1);
        assertThat(count(results, "kafka-2")).isEqualTo(1);
        // The consumer has dealt with the redelivered record (recognised it), so any second result is written by now.
        await().atMost(20, TimeUnit.SECONDS).until(() -> duplicates() > duplicates);
        results = read("tts.results", r -> count(r, "kafka-2") >= 1);
        assertThat(count(results, "kafka-1")).isEqualTo(1);
        assertThat(starts("kafka-1")).isEqualTo(1);
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicWithTheReasonAndTheConsumerGoesOn() {
        send("kafka-bad-1", "this is not json");
        send("kafka-bad-2", "{\"request_id\":\"kafka-bad-2\",\"question\":\"2+3\",\"budget\":{\"max_tokens\":100,\"deadline_ms\":1000}}");
        send("kafka-bad-3", SolveRequests.bestOfNJson("someone-else", "2+3", 2));
        send("kafka-after-bad", SolveRequests.bestOfNJson("kafka-after-bad", "3+3", 2));

        var dead = read("tts.requests.dlq", r -> count(r, "kafka-bad-1") + count(r, "kafka-bad-2") + count(r, "kafka-bad-3") >= 3);
        assertThat(reason(dead, "kafka-bad-1")).contains("not a SolveRequest in JSON");
        assertThat(reason(dead, "kafka-bad-2")).startsWith("strategy.name:");
        assertThat(reason(dead, "kafka-bad-3")).startsWith("request_id:").contains("differs from the record key");
        assertThat(dead.stream().filter(r -> "kafka-bad-1".equals(r.key())).findFirst().orElseThrow().value()).isEqualTo("this is not json");

        var results = read("tts.results", r -> count(r, "kafka-after-bad") >= 1);
        assertThat(count(results, "kafka-after-bad")).isEqualTo(1);
        assertThat(count(results, "kafka-bad-1") + count(results, "kafka-bad-2") + count(results, "kafka-bad-3")).isZero();
    }

    @Test
    void aRequestOfAnotherTaskRunsOnThatTasksPodsAndABadQuestionOfItIsDeadLettered() throws Exception {
        send("kafka-countdown-1", ProtoJson.print(SolveRequests.bestOfN("kafka-countdown-1", "3 5 8 -> 16", 2)
                .toBuilder().setTask("countdown").build()));
        send("kafka-countdown-bad", ProtoJson.print(SolveRequests.bestOfN("kafka-countdown-bad", "3 5 8 -> 100", 2)
                .toBuilder().setTask("countdown").build()));

        var results = read("tts.results", r -> count(r, "kafka-countdown-1") >= 1);
        JsonNode result = json.readTree(results.stream().filter(r -> "kafka-countdown-1".equals(r.key())).findFirst().orElseThrow().value());
        assertThat(result.get("answer").asText()).isEqualTo("3+5=8,8+8=16");
        assertThat(ScriptedMeshResource.countdownGenerator.received())
                .anySatisfy(c -> assertThat(c.getRequestId()).isEqualTo("kafka-countdown-1"));
        assertThat(starts("kafka-countdown-1")).isZero();

        var dead = read("tts.requests.dlq", r -> count(r, "kafka-countdown-bad") >= 1);
        assertThat(reason(dead, "kafka-countdown-bad")).startsWith("question.target:");
    }

    private static String reason(List<ConsumerRecord<String, String>> records, String key) {
        var record = records.stream().filter(r -> key.equals(r.key())).findFirst().orElseThrow();
        return new String(record.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
    }

    @Test
    void eventsAreCloudEventsInOrderPerRequestReadableByAPlainConsumer() throws Exception {
        send("kafka-events-1", SolveRequests.bestOfNJson("kafka-events-1", "2+2", 4));
        var events = read("tts.events", r -> r.stream().anyMatch(e -> "kafka-events-1".equals(e.key())
                && e.value().contains("\"type\":\"io.ttsmesh.search.search_finished\"")));
        var mine = events.stream().filter(e -> "kafka-events-1".equals(e.key())).toList();
        assertThat(mine).isNotEmpty();
        assertThat(mine.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);
        long expected = 1;
        for (var record : mine) {
            assertThat(new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                    .startsWith("application/cloudevents+json");
            JsonNode event = json.readTree(record.value());
            assertThat(event.get("specversion").asText()).isEqualTo("1.0");
            assertThat(event.get("type").asText()).startsWith("io.ttsmesh.search.");
            assertThat(event.get("subject").asText()).isEqualTo("kafka-events-1");
            assertThat(event.get("source").asText()).isEqualTo("/tts-mesh/orchestrator");
            assertThat(event.get("id").asText()).isEqualTo("kafka-events-1." + expected);
            assertThat(event.get("data").get("sequence").asLong()).isEqualTo(expected++);
        }
        JsonNode first = json.readTree(mine.getFirst().value());
        JsonNode last = json.readTree(mine.getLast().value());
        assertThat(first.get("type").asText()).isEqualTo("io.ttsmesh.search.started");
        assertThat(last.get("type").asText()).isEqualTo("io.ttsmesh.search.search_finished");
        assertThat(last.get("data").get("search_finished").get("result").get("answer").asText()).isEqualTo("4");
    }
}
