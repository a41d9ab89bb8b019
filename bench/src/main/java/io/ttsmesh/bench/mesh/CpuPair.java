package io.ttsmesh.bench.mesh;

import java.util.List;

/**
 * One measuring window per path at the per-CPU-second goal's level: the level's own, or one of those run after it.
 * Searches per CPU-second move between windows with the machine's load and with how the concurrent searches happen to
 * batch, so one pair cannot say whether the goal holds reliably.
 */
record CpuPair(LoadRun mesh, LoadRun inProcess) {

    double perCpuSecondRatio() {
        return LatencyStats.ratio(mesh.searchesPerCpuSecond(), inProcess.searchesPerCpuSecond());
    }

    /**
     * Mesh over in-process searches per CPU-second with every window of each path pooled (searches over CPU seconds
     * summed): each window weighted by the work it did, not by how lucky its batching was.
     */
    static double pooledRatio(List<CpuPair> pairs) {
        double meshSearches = 0;
        double meshCpu = 0;
        double inProcessSearches = 0;
        double inProcessCpu = 0;
        for (CpuPair p : pairs) {
            meshSearches += p.mesh().completed();
            meshCpu += p.mesh().cpuSeconds();
            inProcessSearches += p.inProcess().completed();
            inProcessCpu += p.inProcess().cpuSeconds();
        }
        return meshCpu > 0 && inProcessCpu > 0
                ? LatencyStats.ratio(meshSearches / meshCpu, inProcessSearches / inProcessCpu) : Double.NaN;
    }
}
