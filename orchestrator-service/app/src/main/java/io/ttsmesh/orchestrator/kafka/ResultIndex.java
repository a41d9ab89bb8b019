package io.ttsmesh.orchestrator.kafka;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.ttsmesh.orchestrator.OrchestratorConfig;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The request ids that already have a result on tts.results: how a redelivered request is recognised and
 * not solved again. On start it reads the (compacted) results topic from the beginning, over every
 * partition, without a consumer group, and keeps following it, so results written by other pods of the
 * group or by this pod before a restart count too. Requests wait until the index has read up to the end
 * offsets it saw at start. Bounded: the oldest ids are forgotten beyond the configured size.
 */
@ApplicationScoped
public class ResultIndex {

    private static final Logger LOG = Logger.getLogger(ResultIndex.class);

    private final OrchestratorConfig config;
    private final Map<String, Object> kafkaConfig;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Set<String> ids;
    /** Counted down at shutdown: ends the reader's loops and its pause between attempts. */
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile KafkaConsumer<String, String> consumer;

    ResultIndex(OrchestratorConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        int capacity = config.kafka().resultIndexSize();
        this.ids = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        }));
    }

    /** Starts reading tts.results (called once the topics exist). */
    void start() {
        Thread.ofVirtual().name("tts-result-index").start(this::read);
    }

    private KafkaConsumer<String, String> newConsumer() {
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tts-orchestrator-result-index");
        return new KafkaConsumer<>(props);
    }

    /** Reads until shut down; a failure (broker away, topic not there yet) starts over from the beginning. */
    private void read() {
        String topic = config.kafka().topics().results();
        while (!stopped()) {
            try (KafkaConsumer<String, String> c = newConsumer()) {
                consumer = c;
                if (stopped()) {
                    return; // stop() may have come before this consumer existed to be woken
                }
                follow(c, topic);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("result index: reading %s failed (%s); starting over", topic, e.getMessage());
            }
            try {
                stopping.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean stopped() {
        return stopping.getCount() == 0;
    }

    private void follow(KafkaConsumer<String, String> c, String topic) throws WakeupException {
        List<TopicPartition> partitions = List.of();
        while (partitions.isEmpty() && !stopped()) {
            // Right after creation a topic may have no partition metadata yet.
            partitions = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
        }
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        while (!stopped()) {
            for (ConsumerRecord<String, String> record : c.poll(Duration.ofMillis(500))) {
                if (record.key() != null) {
                    ids.add(record.key());
                }
            }
            if (caughtUp.getCount() > 0 && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                LOG.infof("result index read %s: %d request ids have results", topic, ids.size());
                caughtUp.countDown();
            }
        }
    }

    /** Waits until the results written before this pod started are known (requests wait; that is backpressure). */
    public void awaitCaughtUp() throws InterruptedException {
        while (!caughtUp.await(30, TimeUnit.SECONDS)) {
            LOG.warnf("still reading %s before consuming requests", config.kafka().topics().results());
        }
    }

    public boolean hasResult(String requestId) {
        return ids.contains(requestId);
    }

    /** Records a result this pod has just written (the topic read-back would add it a little later). */
    public void add(String requestId) {
        ids.add(requestId);
    }

    /**
     * Wakes the consumer up rather than interrupting its thread: an interrupted consumer cannot close its
     * fetcher and logs an ERROR on every shutdown.
     */
    void stop(@Observes ShutdownEvent event) {
        stopping.countDown();
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}
