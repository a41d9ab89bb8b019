package io.ttsmesh.bench.mesh;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One concurrency level run on both paths, on the same cores, one path after the other; each path warmed at
 * the level for its {@code ...WarmupSeconds} first.
 *
 * @param meshCpuSeconds     the mesh's CPU seconds over its level by process (the services and this JVM, their client)
 * @param meshDecoding       what the generator service did over the mesh's level
 * @param inProcessDecoding  what the in-process engine did over the in-process level
 */
record ThroughputLevel(int clients, LoadRun mesh, LoadRun inProcess, double meshWarmupSeconds, double inProcessWarmupSeconds,
                       Map<String, Double> meshCpuSeconds, GeneratorCounters meshDecoding,
                       GeneratorCounters inProcessDecoding) {

    ThroughputLevel {
        meshCpuSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(meshCpuSeconds));
    }

    /** CPU milliseconds per completed mesh search that {@code process} spent; NaN where it was not measured. */
    double meshCpuMsPerSearch(String process) {
        Double seconds = meshCpuSeconds.get(process);
        return seconds == null || mesh.completed() == 0 ? Double.NaN : 1000 * seconds / mesh.completed();
    }

    /** Decode steps per completed search of a path: fewer rows per step means more steps for the same tokens. */
    static double decodeStepsPerSearch(LoadRun run, GeneratorCounters decoding) {
        return run.completed() == 0 ? Double.NaN : decoding.decodeSteps() / run.completed();
    }

    /** Decode-step model milliseconds per completed search of a path. */
    static double decodeMsPerSearch(LoadRun run, GeneratorCounters decoding) {
        return run.completed() == 0 ? Double.NaN : decoding.decodeMs() / run.completed();
    }

    /** CPU milliseconds per completed search of a path's processes together. */
    static double cpuMsPerSearch(LoadRun run) {
        return run.completed() == 0 ? Double.NaN : 1000 * run.cpuSeconds() / run.completed();
    }

    /** Mesh searches per CPU-second over in-process searches per CPU-second: what the mesh's processes cost in work. */
    double perCpuSecondRatio() {
        return LatencyStats.ratio(mesh.searchesPerCpuSecond(), inProcess.searchesPerCpuSecond());
    }

    double throughputRatio() {
        return LatencyStats.ratio(mesh.throughput(), inProcess.throughput());
    }
}
