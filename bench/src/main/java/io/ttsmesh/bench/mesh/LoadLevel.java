package io.ttsmesh.bench.mesh;

/**
 * One concurrency level of the load benchmark.
 *
 * @param completedInWindow searches that finished within the measuring window (the throughput's numerator)
 * @param completed         all searches started in the window that finished (latencies are theirs)
 * @param rejected          calls refused with RESOURCE_EXHAUSTED
 * @param failed            other call errors and searches that ended FAILED
 * @param batchRowsMean     the generator's mean rows per decode step over the level, NaN when it exposes none
 * @param levelSeconds      the window plus the time the last searches took to finish
 * @param meshCpuSeconds    CPU time the three services used during the level (window and drain)
 */
record LoadLevel(int clients, double windowSeconds, double levelSeconds, int completedInWindow, int completed, int rejected,
                 int failed, LatencyStats latency, double batchRowsMean, double generatedTokensPerSecond,
                 double meshCpuSeconds) {

    /** A level of {@link LoadDriver} with what the generator said about it; CPU is the services' alone. */
    static LoadLevel of(LoadRun run, double batchRowsMean, double generatedTokensPerSecond) {
        return new LoadLevel(run.clients(), run.windowSeconds(), run.levelSeconds(), run.completedInWindow(), run.completed(),
                run.rejected(), run.failed(), run.latency(), batchRowsMean, generatedTokensPerSecond, run.cpuSeconds());
    }

    double throughput() {
        return windowSeconds > 0 ? completedInWindow / windowSeconds : Double.NaN;
    }

    /**
     * Searches completed per CPU-second the services used: what batching saves per search, whatever share of the
     * cores the services got on a shared machine.
     */
    double searchesPerCpuSecond() {
        return meshCpuSeconds > 0 ? completed / meshCpuSeconds : Double.NaN;
    }

    /** Cores the services kept busy on average over the level. */
    double coresUsed() {
        return levelSeconds > 0 ? meshCpuSeconds / levelSeconds : Double.NaN;
    }
}
