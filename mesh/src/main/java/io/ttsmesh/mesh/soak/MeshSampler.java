package io.ttsmesh.mesh.soak;

import io.ttsmesh.mesh.local.ChildProcess;
import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshService;
import io.ttsmesh.mesh.local.PrometheusText;
import io.ttsmesh.mesh.local.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * What the mesh holds right now, read from outside: each child JVM's resident memory ({@code /proc/<pid>/status},
 * VmRSS) and, for the services, their heap and gauges from {@code /q/metrics} (generator: live branches, KV bytes,
 * open sessions; verifier: queue depth; orchestrator: searches running and queued), the orchestrator consumer
 * group's lag on tts.requests, and the machine's 1-minute load average. A value that cannot be read (a child being
 * restarted, the broker down) is NaN: a sample never fails.
 */
final class MeshSampler implements AutoCloseable {

    static final String CONSUMER_GROUP = "tts-orchestrator";
    private static final double MB = 1024.0 * 1024.0;

    private final LocalMesh mesh;
    private final String requestsTopic;
    private final Admin admin;

    MeshSampler(LocalMesh mesh, String requestsTopic) {
        this.mesh = mesh;
        this.requestsTopic = requestsTopic;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000));
    }

    /** Column name (e.g. {@code rss_mb.generator}) to value, in a stable order. */
    Map<String, Double> sample() {
        Map<String, Double> v = new LinkedHashMap<>();
        if (mesh.broker().process() != null) {
            v.put("rss_mb.broker", rssMb(mesh.broker().process()));
            v.put("rss_anon_mb.broker", statusMb(mesh.broker().process(), "RssAnon:"));
        }
        for (String task : mesh.tasks()) {
            String suffix = mesh.tasks().size() == 1 ? "" : "." + task;
            ServiceProcess generator = mesh.service(MeshService.GENERATOR, task);
            ServiceProcess verifier = mesh.service(MeshService.VERIFIER, task);
            String g = metrics(generator);
            String ve = metrics(verifier);
            v.put("rss_mb.generator" + suffix, rssMb(generator.child()));
            v.put("heap_mb.generator" + suffix, heapMb(g));
            v.put("rss_mb.verifier" + suffix, rssMb(verifier.child()));
            v.put("heap_mb.verifier" + suffix, heapMb(ve));
            v.put("live_branches.generator" + suffix, value(g, "tts_generator_live_branches", ""));
            v.put("kv_stored_mb.generator" + suffix, value(g, "tts_generator_kv_bytes", "kind=\"stored\"") / MB);
            v.put("kv_batch_mb.generator" + suffix, value(g, "tts_generator_kv_bytes", "kind=\"batch\"") / MB);
            v.put("sessions.generator" + suffix, value(g, "tts_generator_sessions", ""));
            v.put("queue.verifier" + suffix, value(ve, "tts_verifier_queue_depth", ""));
            v.put("cache_mb.verifier" + suffix, value(ve, "tts_verifier_cache_bytes", "") / MB);
        }
        ServiceProcess orchestrator = mesh.service(MeshService.ORCHESTRATOR);
        String o = metrics(orchestrator);
        v.put("rss_mb.orchestrator", rssMb(orchestrator.child()));
        v.put("heap_mb.orchestrator", heapMb(o));
        v.put("searches_running.orchestrator", value(o, "tts_orchestrator_searches_running", ""));
        v.put("searches_queued.orchestrator", value(o, "tts_orchestrator_searches_queued", ""));
        v.put("kafka_lag", consumerLag());
        v.put("load_avg_1m", loadAverage());
        return v;
    }

    /** Resident set of the child JVM (VmRSS), MB; NaN when it is not running. */
    static double rssMb(ChildProcess child) {
        return statusMb(child, "VmRSS:");
    }

    /**
     * A memory line of the child's {@code /proc/<pid>/status} in MB: VmRSS, or RssAnon (its own allocations: heap,
     * native, thread stacks), apart from file pages it maps (a broker's mapped log segments and indexes).
     */
    static double statusMb(ChildProcess child, String field) {
        if (child == null || !child.isAlive()) {
            return Double.NaN;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(child.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // exited between the check and the read, or no /proc here
        }
        return Double.NaN;
    }

    private static String metrics(ServiceProcess service) {
        if (service == null || !service.child().isAlive()) {
            return "";
        }
        try {
            return service.metrics();
        } catch (RuntimeException unreachable) {
            return "";
        }
    }

    private static double heapMb(String exposition) {
        return value(exposition, "jvm_memory_used_bytes", "area=\"heap\"") / MB;
    }

    private static double value(String exposition, String name, String label) {
        OptionalDouble d = PrometheusText.value(exposition, name, label);
        return d.isPresent() ? d.getAsDouble() : Double.NaN;
    }

    /** Requests on tts.requests not yet committed by the orchestrator's consumer group (throttled commits: solved ones). */
    private double consumerLag() {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(CONSUMER_GROUP)
                    .partitionsToOffsetAndMetadata().get(3, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(java.util.List.of(requestsTopic)).allTopicNames().get(3, TimeUnit.SECONDS)
                    .get(requestsTopic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(requestsTopic, p.partition()), OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(3, TimeUnit.SECONDS);
            long lag = 0;
            for (var e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                lag += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        } catch (Exception brokerDown) {
            return Double.NaN;
        }
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
