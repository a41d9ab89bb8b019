package io.ttsmesh.orchestrator.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ttsmesh.proto.events.BranchStep;
import io.ttsmesh.proto.events.SearchEvent;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The drop policy of the event stream when Kafka does not acknowledge: searches never wait, losses are counted. */
class EventPublisherTest {

    /** A Kafka channel that takes records and acknowledges them only when told (a stalled broker). */
    static final class StalledKafka implements Emitter<String> {
        final List<Message<String>> held = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Void> send(String payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <M extends Message<? extends String>> void send(M message) {
            held.add((Message<String>) message);
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }

    private static SearchEvent event(long sequence) {
        return SearchEvent.newBuilder().setRequestId("r").setSequence(sequence)
                .setStep(BranchStep.newBuilder().setBranchId(1).setText("1+1=2\n")).build();
    }

    @Test
    void aStalledBrokerNeverBlocksTheSearchAndEveryLostEventIsCounted() {
        var registry = new SimpleMeterRegistry();
        var kafka = new StalledKafka();
        var publisher = new EventPublisher(true, "/test", 10, 5, registry, kafka, new com.fasterxml.jackson.databind.ObjectMapper());
        publisher.start();
        try {
            long t0 = System.nanoTime();
            for (int i = 1; i <= 100; i++) {
                publisher.accept(event(i));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(500));

            // 5 records wait for Kafka's acknowledgement, 10 wait in the buffer (and the drainer may hold one
            // more, waiting for room in flight), the rest were dropped.
            await().atMost(5, TimeUnit.SECONDS).until(() -> kafka.held.size() == 5);
            assertThat(publisher.droppedCount()).isBetween(84.0, 90.0);
            double droppedWhileStalled = publisher.droppedCount();

            // Kafka recovers: acknowledgements make room, and every event not dropped goes out, in order.
            int accepted = 100 - (int) droppedWhileStalled;
            // Acknowledging then checking the count (not the size of what Kafka holds) leaves no record sent between
            // the two unacknowledged.
            await().atMost(10, TimeUnit.SECONDS).until(() -> {
                kafka.held.forEach(Message::ack);
                return registry.get("tts.orchestrator.events.published").counter().count() == accepted;
            });
            assertThat(kafka.held).hasSize(accepted);
            assertThat(kafka.held).extracting(m -> m.getPayload().contains("\"id\":\"r.1\"")).first().isEqualTo(true);

            // A record Kafka finally refuses counts as dropped too.
            publisher.accept(event(101));
            await().atMost(5, TimeUnit.SECONDS).until(() -> kafka.held.size() == accepted + 1);
            kafka.held.getLast().nack(new RuntimeException("broker gone"));
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(publisher.droppedCount()).isEqualTo(droppedWhileStalled + 1));
            assertThat(kafka.held).extracting(m -> m.getPayload().contains("\"type\":\"io.ttsmesh.search.step\"")).containsOnly(true);
        } finally {
            publisher.stop();
        }
    }

    @Test
    void offIsANoOp() {
        var kafka = new StalledKafka();
        var publisher = new EventPublisher(false, "/test", 10, 5, new SimpleMeterRegistry(), kafka, new com.fasterxml.jackson.databind.ObjectMapper());
        publisher.start();
        publisher.accept(event(1));
        assertThat(publisher.droppedCount()).isZero();
        assertThat(kafka.held).isEmpty();
    }
}
