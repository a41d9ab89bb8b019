package io.ttsmesh.orchestrator.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.ttsmesh.orchestrator.OrchestratorConfig;
import io.ttsmesh.orchestrator.api.ProtoJson;
import io.ttsmesh.proto.events.SearchEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * With the Kafka plane on, follows tts.events so that the monitor also shows the searches of the other
 * orchestrator pods. Every pod's monitor reads every partition, without a consumer group (nothing to
 * commit, no rebalancing among monitors), from the end: a monitor shows what happens from its start on.
 * This pod's own events come back too; the board knows them already (seen in process, by sequence) and
 * ignores them. A record that is not a search event is skipped.
 */
@ApplicationScoped
public class KafkaEventFollower {

    private static final Logger LOG = Logger.getLogger(KafkaEventFollower.class);

    private final SearchBoard board;
    private final ObjectMapper json;
    private final boolean enabled;
    private final String topic;
    private final Map<String, Object> kafkaConfig;
    private volatile KafkaConsumer<String, String> consumer;
    /** Counted down at shutdown: ends the follower's loops and its pause between attempts. */
    private final CountDownLatch stopping = new CountDownLatch(1);

    KafkaEventFollower(SearchBoard board, MonitorConfig monitor, OrchestratorConfig config,
                       @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, ObjectMapper json) {
        this.board = board;
        this.json = json;
        this.enabled = monitor.enabled() && monitor.followKafka() && config.kafka().enabled();
        this.topic = config.kafka().topics().events();
        this.kafkaConfig = kafkaConfig;
    }

    void start(@Observes StartupEvent event) {
        if (enabled) {
            Thread.ofVirtual().name("tts-monitor-kafka").start(this::read);
        }
    }

    /** Wakes the consumer up rather than interrupting its thread, so that it closes cleanly. */
    void stop(@Observes ShutdownEvent event) {
        stopping.countDown();
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Follows until shut down; a failure (broker away, topic not created yet) starts over from the end. */
    private void read() {
        while (!stopped()) {
            try (KafkaConsumer<String, String> c = newConsumer()) {
                consumer = c;
                if (stopped()) {
                    return; // stop() may have come before this consumer existed to be woken
                }
                follow(c);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.debugf("monitor: following %s failed (%s); starting over", topic, e.getMessage());
            }
            pause();
        }
    }

    private KafkaConsumer<String, String> newConsumer() {
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Creating the topic is the publisher's business (KafkaTopics), with its partitions.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tts-orchestrator-monitor");
        return new KafkaConsumer<>(props);
    }

    private void follow(KafkaConsumer<String, String> c) throws WakeupException {
        List<TopicPartition> partitions = List.of();
        while (partitions.isEmpty() && !stopped()) {
            partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                pause();
            }
        }
        c.assign(partitions);
        c.seekToEnd(partitions);
        while (!stopped()) {
            for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(500))) {
                SearchEvent event = parse(record.value());
                if (event != null) {
                    board.accept(event, false);
                }
            }
        }
    }

    /** The CloudEvent's data as a SearchEvent, or null when the record is not one. */
    SearchEvent parse(String cloudEvent) {
        if (cloudEvent == null) {
            return null;
        }
        try {
            JsonNode data = json.readTree(cloudEvent).get("data");
            if (data == null || !data.isObject()) {
                return null;
            }
            return ProtoJson.parse(data.toString(), SearchEvent.newBuilder()).build();
        } catch (Exception e) {
            LOG.debugf("monitor: a record on the events topic is not a search event: %s", e.getMessage());
            return null;
        }
    }

    private boolean stopped() {
        return stopping.getCount() == 0;
    }

    /** A second between attempts, cut short by shutdown. */
    private void pause() {
        try {
            stopping.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
