package io.ttsmesh.bench.mesh;

/**
 * One concurrency level of the load benchmark: the clients' run through the mesh (its CPU is the three services'),
 * with what the generator said about it.
 *
 * @param batchRowsMean the generator's mean rows per decode step over the level, NaN when it exposes none
 */
record LoadLevel(LoadRun run, double batchRowsMean, double generatedTokensPerSecond) {

    int clients() {
        return run.clients();
    }
}
