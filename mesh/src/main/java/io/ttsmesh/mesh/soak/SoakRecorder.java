package io.ttsmesh.mesh.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Takes the soak's samples (called every few seconds by a scheduler): the mesh's state from {@link MeshSampler} plus
 * what the load saw since the previous sample (results per second, p50/p99 latency, errors, outstanding requests),
 * and prints one progress line per sample.
 */
final class SoakRecorder {

    private final KafkaLoad load;
    private final MeshSampler sampler;
    private final long startNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<SoakSample> samples = new ArrayList<>();
    private final List<KafkaLoad.Completion> completions = new ArrayList<>();
    private volatile String phase = "start";
    private long lastNanos;

    SoakRecorder(KafkaLoad load, MeshSampler sampler, long startNanos) {
        this.load = load;
        this.sampler = sampler;
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
    }

    void phase(String name) {
        this.phase = name;
    }

    long startNanos() {
        return startNanos;
    }

    void record() {
        lock.lock();
        try {
            long now = System.nanoTime();
            List<KafkaLoad.Completion> window = load.drain();
            completions.addAll(window);
            Map<String, Double> v = new LinkedHashMap<>();
            double interval = Math.max(1e-9, (now - lastNanos) / 1e9);
            lastNanos = now;
            double[] latencies = window.stream().filter(c -> !c.failed()).mapToDouble(KafkaLoad.Completion::latencyMs).sorted().toArray();
            v.put("results_per_s", window.size() / interval);
            v.put("p50_ms", percentile(latencies, 0.50));
            v.put("p99_ms", percentile(latencies, 0.99));
            v.put("errors", (double) window.stream().filter(KafkaLoad.Completion::failed).count());
            v.put("outstanding", (double) load.outstanding());
            v.put("duplicates", (double) load.duplicates());
            v.putAll(sampler.sample());
            SoakSample s = new SoakSample((now - startNanos) / 1e9, phase, v);
            samples.add(s);
            System.out.printf("[%6.1f min %-8s] %5.2f results/s  p50 %6.0f ms  p99 %6.0f ms  errors %2.0f  outstanding %3.0f  lag %3.0f"
                            + "  RSS MB gen %4.0f ver %4.0f orch %4.0f kafka %4.0f  live branches %3.0f  load %.1f%n",
                    s.seconds() / 60, phase, s.get("results_per_s"), s.get("p50_ms"), s.get("p99_ms"), s.get("errors"),
                    s.get("outstanding"), s.get("kafka_lag"), s.get("rss_mb.generator"), s.get("rss_mb.verifier"),
                    s.get("rss_mb.orchestrator"), s.get("rss_mb.broker"), s.get("live_branches.generator"), s.get("load_avg_1m"));
        } catch (RuntimeException e) {
            // one lost sample must not end the sampling (the scheduler stops a task that throws)
            System.out.println("sample failed: " + e);
        } finally {
            lock.unlock();
        }
    }

    /** Results (not failures) that arrived between two instants (System.nanoTime). */
    long completionsBetween(long fromNanos, long toNanos) {
        lock.lock();
        try {
            List<KafkaLoad.Completion> all = new ArrayList<>(completions);
            all.addAll(load.drainPeek());
            return all.stream().filter(c -> !c.failed() && c.doneNanos() >= fromNanos && c.doneNanos() < toNanos).count();
        } finally {
            lock.unlock();
        }
    }

    List<SoakSample> samples() {
        lock.lock();
        try {
            return List.copyOf(samples);
        } finally {
            lock.unlock();
        }
    }

    List<KafkaLoad.Completion> completions() {
        lock.lock();
        try {
            return List.copyOf(completions);
        } finally {
            lock.unlock();
        }
    }

    /** Nearest-rank percentile of sorted values; NaN for none. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
