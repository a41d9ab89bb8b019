package io.ttsmesh.orchestrator.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.ttsmesh.orchestrator.OrchestratorConfig;
import io.ttsmesh.orchestrator.solving.SearchEventSink;
import io.ttsmesh.proto.events.SearchEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes search events to tts.events as CloudEvents, keyed by request id (one search's events stay in
 * order on one partition). A search only ever offers an event to a bounded buffer and goes on: when Kafka
 * is slow or unreachable the buffer fills, and further events are dropped and counted
 * ({@code tts_orchestrator_events_dropped_total}); so are events Kafka finally refuses. One drainer thread
 * sends them in buffer order, with a bounded number awaiting acknowledgement.
 */
@ApplicationScoped
public class EventPublisher implements SearchEventSink {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);

    private final boolean enabled;
    private final String source;
    private final BlockingQueue<SearchEvent> buffer;
    private final Semaphore inFlight;
    private final Counter dropped;
    private final Counter published;
    private final Emitter<String> emitter;
    private final ObjectMapper json;
    private volatile Thread drainer;

    @Inject
    EventPublisher(OrchestratorConfig config, MeterRegistry registry,
                   @Channel("tts-events") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<String> emitter,
                   ObjectMapper json) {
        this(config.kafka().enabled(), config.kafka().eventSource(), config.kafka().eventBuffer(),
                config.kafka().eventsInFlight(), registry, emitter, json);
    }

    EventPublisher(boolean enabled, String source, int bufferSize, int maxInFlight, MeterRegistry registry,
                   Emitter<String> emitter, ObjectMapper json) {
        this.json = json;
        this.enabled = enabled;
        this.source = source;
        this.buffer = new ArrayBlockingQueue<>(Math.max(1, bufferSize));
        this.inFlight = new Semaphore(Math.max(1, maxInFlight));
        this.emitter = emitter;
        this.dropped = Counter.builder("tts.orchestrator.events.dropped")
                .description("Search events not published to Kafka: buffer full (Kafka slow or down) or refused by Kafka")
                .register(registry);
        this.published = Counter.builder("tts.orchestrator.events.published")
                .description("Search events acknowledged by Kafka")
                .register(registry);
        registry.gauge("tts.orchestrator.events.buffered", buffer, BlockingQueue::size);
    }

    void start(@Observes StartupEvent event) {
        start();
    }

    void start() {
        if (enabled) {
            drainer = Thread.ofVirtual().name("tts-events-drainer").start(this::drain);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stop();
    }

    void stop() {
        Thread t = drainer;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Never blocks: the event is buffered, or dropped and counted. A no-op when the Kafka plane is off. */
    @Override
    public void accept(SearchEvent event) {
        if (enabled && !buffer.offer(event)) {
            dropped.increment();
        }
    }

    public double droppedCount() {
        return dropped.count();
    }

    private void drain() {
        while (!Thread.currentThread().isInterrupted()) {
            SearchEvent event;
            try {
                event = buffer.take();
                inFlight.acquire();
            } catch (InterruptedException e) {
                return;
            }
            try {
                var headers = new RecordHeaders();
                headers.add("content-type", CloudEventEnvelope.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
                var metadata = OutgoingKafkaRecordMetadata.<String>builder()
                        .withKey(event.getRequestId())
                        .withHeaders(headers)
                        .build();
                // Settled once, whatever the connector calls: the in-flight room and the counters stay exact.
                AtomicBoolean settled = new AtomicBoolean();
                emitter.send(Message.of(CloudEventEnvelope.of(event, source, json), Metadata.of(metadata),
                        () -> {
                            if (settled.compareAndSet(false, true)) {
                                inFlight.release();
                                published.increment();
                            }
                            return CompletableFuture.completedFuture(null);
                        },
                        failure -> {
                            if (settled.compareAndSet(false, true)) {
                                inFlight.release();
                                dropped.increment();
                            }
                            return CompletableFuture.completedFuture(null);
                        }));
            } catch (RuntimeException e) {
                inFlight.release();
                dropped.increment();
                LOG.debugf("event of %s not sent: %s", event.getRequestId(), e.getMessage());
            }
        }
    }
}
