package io.ttsmesh.bench.mesh;

/**
 * One warm-up round: every strategy once through each path, on questions that are not measured.
 *
 * @param meshMs      total wall time of the round's mesh searches
 * @param inProcessMs total wall time of the same searches in-process
 */
record WarmupRound(int round, int searches, double meshMs, double inProcessMs) {

    double meshMsPerSearch() {
        return searches > 0 ? meshMs / searches : Double.NaN;
    }

    double inProcessMsPerSearch() {
        return searches > 0 ? inProcessMs / searches : Double.NaN;
    }

    double ratio() {
        return LatencyStats.ratio(meshMs, inProcessMs);
    }
}
