package io.ttsmesh.orchestrator.kafka;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.ttsmesh.orchestrator.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the orchestrator's topics when they are missing (tts.results compacted: the latest result per
 * request id is what idempotence needs), then starts the result index. Where topics are managed elsewhere
 * (Strimzi KafkaTopic resources), creation finds them and does nothing.
 */
@ApplicationScoped
public class KafkaTopics {

    private static final Logger LOG = Logger.getLogger(KafkaTopics.class);

    private final OrchestratorConfig config;
    private final Map<String, Object> kafkaConfig;
    private final ResultIndex index;

    KafkaTopics(OrchestratorConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, ResultIndex index) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.index = index;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.kafka().enabled()) {
            return;
        }
        if (config.kafka().createTopics()) {
            Thread.ofVirtual().name("tts-topics").start(() -> {
                create();
                index.start();
            });
        } else {
            index.start();
        }
    }

    private void create() {
        var topics = config.kafka().topics();
        int partitions = config.kafka().partitions();
        Map<String, Object> props = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(1, TimeUnit.MINUTES);
            List<NewTopic> missing = List.of(
                            new NewTopic(topics.requests(), Optional.of(partitions), Optional.empty()),
                            new NewTopic(topics.results(), Optional.of(partitions), Optional.empty())
                                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
                            new NewTopic(topics.events(), Optional.of(partitions), Optional.empty()),
                            new NewTopic(topics.deadLetters(), Optional.of(1), Optional.empty()))
                    .stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(1, TimeUnit.MINUTES);
                LOG.infof("created Kafka topics %s", missing.stream().map(NewTopic::name).toList());
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("could not create Kafka topics: %s", e.getCause().getMessage());
            }
        } catch (Exception e) {
            LOG.warnf("could not create Kafka topics: %s", e.getMessage());
        }
    }
}
