package io.ttsmesh.orchestrator.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;

import java.util.Map;

/** A real Kafka broker (KRaft, in this JVM) for the orchestrator under test, with the Kafka plane on. */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    public static volatile String bootstrapServers;
    private EmbeddedKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        broker = new EmbeddedKafkaBroker()
                .withAdditionalProperties(p -> {
                    p.put("num.partitions", "3");
                    p.put("offsets.topic.replication.factor", "1");
                    p.put("group.initial.rebalance.delay.ms", "0");
                })
                .withDeleteLogDirsOnClose(true)
                .start();
        bootstrapServers = broker.getAdvertisedListeners();
        return Map.of(
                "kafka.bootstrap.servers", bootstrapServers,
                "tts.orchestrator.kafka.enabled", "true");
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
