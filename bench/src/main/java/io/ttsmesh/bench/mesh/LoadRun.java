package io.ttsmesh.bench.mesh;

/**
 * Concurrent clients running searches one after another on one path for a measuring window.
 *
 * @param completedInWindow searches that finished within the window (the throughput's numerator)
 * @param completed         all searches started in the window that finished (the latencies are theirs)
 * @param rejected          calls refused with RESOURCE_EXHAUSTED
 * @param failed            other call errors and searches that ended FAILED
 * @param levelSeconds      the window plus the time the last searches took to finish
 * @param cpuSeconds        CPU time of the processes counted for the path over the level (window and drain)
 * @param jitCpuSeconds     of that, the JIT compiler threads' (code still being compiled: not yet steady)
 */
record LoadRun(int clients, double windowSeconds, double levelSeconds, int completedInWindow, int completed, int rejected,
               int failed, LatencyStats latency, double cpuSeconds, double jitCpuSeconds) {

    double throughput() {
        return windowSeconds > 0 ? completedInWindow / windowSeconds : Double.NaN;
    }

    /** Searches completed per CPU-second: the work a search costs, whatever share of the cores the path got. */
    double searchesPerCpuSecond() {
        return cpuSeconds > 0 ? completed / cpuSeconds : Double.NaN;
    }

    /** Cores kept busy on average over the level. */
    double coresUsed() {
        return levelSeconds > 0 ? cpuSeconds / levelSeconds : Double.NaN;
    }

    /** The JIT compiler threads' share of the CPU counted. */
    double jitShare() {
        return cpuSeconds > 0 ? jitCpuSeconds / cpuSeconds : Double.NaN;
    }
}
