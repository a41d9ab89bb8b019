package io.ttsmesh.orchestrator.monitor;

import io.micrometer.core.instrument.Counter;
import io.ttsmesh.orchestrator.api.ProtoJson;
import io.ttsmesh.proto.events.SearchEvent;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One browser's stream. Producers (a search's thread, the overview ticker) only ever {@link #offer} to its
 * bounded buffer: when the browser reads too slowly the buffer fills and new messages are dropped and
 * counted, so a slow browser never slows a search. The subscriber's own virtual thread sends what is
 * buffered (consecutive search events batched into one {@code events} message) and, after a drop, a
 * {@code dropped} message so the page can ask for a fresh snapshot.
 */
final class Subscriber {

    private static final Logger LOG = Logger.getLogger(Subscriber.class);
    /** Search events sent in one server-sent event at most (a browser renders once per message). */
    private static final int BATCH = 256;

    private final String name;
    private final BlockingQueue<MonitorMessage> buffer;
    private final Counter droppedTotal;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Runnable onClose = () -> {
    };

    /** @param name what it watches, for logs */
    Subscriber(String name, int capacity, Counter droppedTotal) {
        this.name = name;
        this.buffer = new ArrayBlockingQueue<>(Math.max(1, capacity));
        this.droppedTotal = droppedTotal;
    }

    /** Never blocks: buffered, or dropped and counted. */
    void offer(MonitorMessage message) {
        if (closed.get()) {
            return;
        }
        if (!buffer.offer(message)) {
            dropped.incrementAndGet();
            droppedTotal.increment();
        }
    }

    long dropped() {
        return dropped.get();
    }

    int buffered() {
        return buffer.size();
    }

    boolean closed() {
        return closed.get();
    }

    void onClose(Runnable action) {
        onClose = action;
    }

    void close() {
        if (closed.compareAndSet(false, true)) {
            buffer.clear();
            onClose.run();
        }
    }

    /**
     * Sends the snapshot, then what arrives, on a virtual thread of its own, until the browser goes away. Called on the
     * request's thread, which makes the first send: that send writes the response's head, and made from another thread
     * it raced Quarkus REST writing the head itself as the resource method returned ("Response head already sent":
     * the stream ended before its first event).
     */
    void stream(List<MonitorMessage> snapshot, SseEventSink sink, Sse sse, Duration heartbeat, Duration sendTimeout) {
        CompletionStage<?> opened = sink.send(sse.newEventBuilder().comment("open").build());
        Thread.ofVirtual().name("monitor-" + name).start(() -> {
            try {
                var writer = new Writer(sink, sse, sendTimeout);
                opened.toCompletableFuture().get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
                writer.sendAll(snapshot);
                writer.send(sse.newEventBuilder().name("live").data("{}").build());
                long reported = 0;
                while (!closed.get() && !sink.isClosed()) {
                    MonitorMessage first = buffer.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                    long d = dropped.get();
                    if (d > reported) {
                        writer.send(sse.newEventBuilder().name("dropped").data("{\"dropped\":" + d + "}").build());
                        reported = d;
                    }
                    if (first == null) {
                        writer.send(sse.newEventBuilder().comment("still here").build());
                        continue;
                    }
                    List<MonitorMessage> ready = new ArrayList<>();
                    ready.add(first);
                    buffer.drainTo(ready, BATCH - 1);
                    writer.sendAll(ready);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                LOG.debugf("monitor stream %s ends: %s", name, e.toString());
            } finally {
                close();
                if (!sink.isClosed()) {
                    sink.close();
                }
            }
        });
    }

    /** Writes messages to the browser, one write at a time, each bounded by the send timeout. */
    private static final class Writer {
        private final SseEventSink sink;
        private final Sse sse;
        private final Duration timeout;

        Writer(SseEventSink sink, Sse sse, Duration timeout) {
            this.sink = sink;
            this.sse = sse;
            this.timeout = timeout;
        }

        void sendAll(List<MonitorMessage> messages) throws InterruptedException, ExecutionException, TimeoutException {
            List<SearchEvent> batch = new ArrayList<>();
            for (MonitorMessage m : messages) {
                switch (m) {
                    case MonitorMessage.Event e -> {
                        batch.add(e.event());
                        if (batch.size() == BATCH) {
                            flush(batch);
                        }
                    }
                    case MonitorMessage.Json j -> {
                        flush(batch);
                        send(sse.newEventBuilder().name(j.name()).data(j.json()).build());
                    }
                }
            }
            flush(batch);
        }

        private void flush(List<SearchEvent> batch) throws InterruptedException, ExecutionException, TimeoutException {
            if (batch.isEmpty()) {
                return;
            }
            StringBuilder json = new StringBuilder(batch.size() * 256).append('[');
            for (int i = 0; i < batch.size(); i++) {
                json.append(i == 0 ? "" : ",").append(ProtoJson.print(batch.get(i)));
            }
            batch.clear();
            send(sse.newEventBuilder().name("events").data(json.append(']').toString()).build());
        }

        void send(OutboundSseEvent event) throws InterruptedException, ExecutionException, TimeoutException {
            sink.send(event).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
