package io.ttsmesh.bench.mesh;

/**
 * One warm-up round: every strategy once through each path, on questions that are not measured.
 *
 * @param meshMs      total wall time of the round's mesh searches
 * @param inProcessMs total wall time of the same searches in-process
 * @param servicesJit the mesh's services' JIT compiler threads over the round
 * @param thisJvmJit  this JVM's (the in-process searches' and the mesh's client's) over the round
 */
record WarmupRound(int round, int searches, double meshMs, double inProcessMs, JitShare servicesJit, JitShare thisJvmJit) {

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
