package io.ttsmesh.bench.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the machine was doing while a report ran: the 1-minute load average sampled every 10 seconds, and
 * this process's own CPU time (load-independent: what the report costs on idle cores).
 */
public final class LoadMonitor implements AutoCloseable {

    private final long startNanos = System.nanoTime();
    private final long startCpuNanos = cpuNanos();
    private final DoubleAdder loadSum = new DoubleAdder();
    private final LongAdder samples = new LongAdder();
    private volatile double maxLoad;
    private final Thread sampler;

    public LoadMonitor() {
        sample();
        sampler = Thread.ofVirtual().name("load-monitor").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    return;
                }
                sample();
            }
        });
    }

    private void sample() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            double load = Double.parseDouble(f[0]);
            loadSum.add(load);
            samples.increment();
            maxLoad = Math.max(maxLoad, load);
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux): the report says the load is unknown
        }
    }

    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    public double wallSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** CPU seconds this process used since the monitor started, or NaN when unknown. */
    public double cpuSeconds() {
        long now = cpuNanos();
        return now < 0 || startCpuNanos < 0 ? Double.NaN : (now - startCpuNanos) / 1e9;
    }

    public double meanLoad() {
        long n = samples.sum();
        return n == 0 ? Double.NaN : loadSum.sum() / n;
    }

    public double maxLoad() {
        return samples.sum() == 0 ? Double.NaN : maxLoad;
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    @Override
    public void close() {
        sampler.interrupt();
    }
}
