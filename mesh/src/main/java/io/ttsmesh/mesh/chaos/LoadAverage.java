package io.ttsmesh.mesh.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The machine's 1-minute load average every 5 s while a run lasts (the machine is shared: a run is read next to it). */
final class LoadAverage implements AutoCloseable {

    private final List<Double> samples = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("load-average").unstarted(r));

    static LoadAverage start() {
        LoadAverage l = new LoadAverage();
        l.every.scheduleAtFixedRate(l::sample, 0, 5, TimeUnit.SECONDS);
        return l;
    }

    private void sample() {
        try {
            samples.add(Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]));
        } catch (IOException | RuntimeException noProc) {
            // not Linux: no samples
        }
    }

    /** "min / mean / max" of the samples so far, or "not measured". */
    String summary() {
        if (samples.isEmpty()) {
            return "not measured";
        }
        var stats = samples.stream().mapToDouble(Double::doubleValue).summaryStatistics();
        return String.format("%.1f / %.1f / %.1f (min / mean / max of %d samples)", stats.getMin(), stats.getAverage(), stats.getMax(), stats.getCount());
    }

    @Override
    public void close() {
        every.shutdownNow();
    }
}
