package io.ttsmesh.bench.mesh;

/**
 * One concurrency level run on both paths, on the same cores, one path after the other; each path warmed at
 * the level for its {@code ...WarmupSeconds} first.
 */
record ThroughputLevel(int clients, LoadRun mesh, LoadRun inProcess, double meshWarmupSeconds, double inProcessWarmupSeconds) {

    /** Mesh searches per CPU-second over in-process searches per CPU-second: what the mesh's processes cost in work. */
    double perCpuSecondRatio() {
        return LatencyStats.ratio(mesh.searchesPerCpuSecond(), inProcess.searchesPerCpuSecond());
    }

    double throughputRatio() {
        return LatencyStats.ratio(mesh.throughput(), inProcess.throughput());
    }
}
