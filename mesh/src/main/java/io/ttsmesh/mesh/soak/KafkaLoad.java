package io.ttsmesh.mesh.soak;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.ttsmesh.mesh.batch.KafkaBatch;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.events.StopReason;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Requests sent one at a time to tts.requests while a reader thread follows tts.results (and the dead-letter topic)
 * from the offsets they had before the first request: each request's latency is from its send to its result record.
 * Unlike {@link KafkaBatch}, which sends a fixed batch and waits for all of it, this keeps a stream of requests going
 * for as long as the caller sends them, so that a soak can run at a chosen rate and sample what is in flight.
 */
final class KafkaLoad implements AutoCloseable {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    /** One request's end: its result (or dead letter) read back. */
    record Completion(String requestId, String strategy, long sentNanos, long doneNanos, boolean failed, String outcome) {
        double latencyMs() {
            return (doneNanos - sentNanos) / 1e6;
        }
    }

    private record Pending(String strategy, long sentNanos) {
    }

    private final String requestsTopic;
    private final String resultsTopic;
    private final String deadLetterTopic;
    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition completed = lock.newCondition();
    private final List<Completion> finished = new ArrayList<>();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final java.util.Set<String> answered = ConcurrentHashMap.newKeySet();
    private final Thread reader;
    private volatile boolean closing;
    private volatile RuntimeException readerFailure;

    KafkaLoad(String bootstrapServers, String requestsTopic, String resultsTopic, String deadLetterTopic) {
        this.requestsTopic = requestsTopic;
        this.resultsTopic = resultsTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000));
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        List<TopicPartition> tps = new ArrayList<>();
        for (String topic : List.of(resultsTopic, deadLetterTopic)) {
            partitionsOf(topic).forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(tps);
        consumer.seekToEnd(tps);
        tps.forEach(consumer::position); // the end offsets now, before any request is sent
        this.reader = Thread.ofPlatform().daemon().name("soak-results-reader").start(this::read);
    }

    /**
     * The topic's partitions, waited for: the orchestrator creates its topics at start, and a new topic's metadata
     * can reach a client a moment after the orchestrator reports ready.
     */
    private List<org.apache.kafka.common.PartitionInfo> partitionsOf(String topic) {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (partitions != null && !partitions.isEmpty()) {
                return partitions;
            }
            if (System.nanoTime() > until) {
                throw new IllegalStateException("topic " + topic + " does not exist after 60 s (the orchestrator creates it when its Kafka plane starts)");
            }
            io.ttsmesh.mesh.local.ChildProcess.pause(Duration.ofMillis(500));
        }
    }

    /** Sends one request (asynchronously; a send Kafka refuses for good is a failed completion). */
    void send(SolveRequest request) {
        failIfReaderDied();
        String id = request.getRequestId();
        long now = System.nanoTime();
        pending.put(id, new Pending(request.getStrategy().getName(), now));
        sent.incrementAndGet();
        producer.send(new ProducerRecord<>(requestsTopic, id, KafkaBatch.json(request)), (metadata, e) -> {
            if (e != null) {
                complete(id, true, "not sent: " + e.getMessage());
            }
        });
    }

    long sent() {
        return sent.get();
    }

    int outstanding() {
        return pending.size();
    }

    long duplicates() {
        return duplicates.get();
    }

    /** Blocks until fewer than {@code limit} requests are outstanding, or the timeout passes; false on timeout. */
    boolean awaitOutstandingBelow(int limit, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (pending.size() >= limit) {
                failIfReaderDied();
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // bounded wait: a failed send completes outside the lock's signal path only through complete()
                completed.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The completions since the last call. */
    List<Completion> drain() {
        lock.lock();
        try {
            List<Completion> out = List.copyOf(finished);
            finished.clear();
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The completions not yet drained, left in place. */
    List<Completion> drainPeek() {
        lock.lock();
        try {
            return List.copyOf(finished);
        } finally {
            lock.unlock();
        }
    }

    private void read() {
        try {
            while (!closing) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() == null) {
                        continue;
                    }
                    if (r.topic().equals(deadLetterTopic)) {
                        var reason = r.headers().lastHeader("dead-letter-reason");
                        complete(r.key(), true, "dead letter: " + (reason == null ? "?" : new String(reason.value(), java.nio.charset.StandardCharsets.UTF_8)));
                    } else if (!pending.containsKey(r.key())) {
                        if (answered.contains(r.key())) {
                            duplicates.incrementAndGet();
                        }
                    } else {
                        SolveResult result = parse(r);
                        boolean failed = result.getStopReason() == StopReason.FAILED;
                        complete(r.key(), failed, failed ? "FAILED code " + result.getErrorCode() : result.getStopReason().name());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException closed) {
            // close() woke the poll
        } catch (RuntimeException e) {
            readerFailure = e;
            lock.lock();
            try {
                completed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void complete(String id, boolean failed, String outcome) {
        Pending p = pending.remove(id);
        if (p == null) {
            return;
        }
        answered.add(id);
        lock.lock();
        try {
            finished.add(new Completion(id, p.strategy(), p.sentNanos(), System.nanoTime(), failed, outcome));
            completed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static SolveResult parse(ConsumerRecord<String, String> r) {
        SolveResult.Builder b = SolveResult.newBuilder();
        try {
            PARSER.merge(r.value(), b);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("result for " + r.key() + " is not a SolveResult: " + e.getMessage(), e);
        }
        return b.build();
    }

    private void failIfReaderDied() {
        if (readerFailure != null) {
            throw new IllegalStateException("reading " + resultsTopic + " failed: " + readerFailure.getMessage(), readerFailure);
        }
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            reader.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(10));
    }
}
