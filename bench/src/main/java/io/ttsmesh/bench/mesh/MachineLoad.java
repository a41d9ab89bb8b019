package io.ttsmesh.bench.mesh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The machine's 1-minute load average, sampled every few seconds for the length of a benchmark, because the
 * machine is shared: a result is only readable next to how busy the machine was meanwhile. Linux only
 * (/proc/loadavg); elsewhere there are no samples.
 */
final class MachineLoad implements AutoCloseable {

    private static final Path LOADAVG = Path.of("/proc/loadavg");
    private static final long EVERY_MS = 5_000;

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Double> samples = new ArrayList<>();
    private final Thread sampler;

    private MachineLoad() {
        sample();
        sampler = Thread.ofPlatform().daemon().name("load-sampler").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(EVERY_MS);
                    sample();
                }
            } catch (InterruptedException stop) {
                // closed
            }
        });
    }

    static MachineLoad start() {
        return new MachineLoad();
    }

    private void sample() {
        double value = now();
        if (Double.isNaN(value)) {
            return;
        }
        lock.lock();
        try {
            samples.add(value);
        } finally {
            lock.unlock();
        }
    }

    /** The current 1-minute load average, or NaN where it cannot be read. */
    static double now() {
        try {
            return Double.parseDouble(Files.readString(LOADAVG).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Load averages seen so far: first, mean, max, last. */
    Summary summary() {
        lock.lock();
        try {
            return Summary.of(samples);
        } finally {
            lock.unlock();
        }
    }

    record Summary(int samples, double first, double mean, double max, double last) {
        static Summary of(List<Double> values) {
            if (values.isEmpty()) {
                return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            return new Summary(values.size(), values.getFirst(),
                    values.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                    values.stream().mapToDouble(Double::doubleValue).max().orElseThrow(), values.getLast());
        }
    }

    @Override
    public void close() throws InterruptedException {
        sampler.interrupt();
        sampler.join(2_000);
    }
}
