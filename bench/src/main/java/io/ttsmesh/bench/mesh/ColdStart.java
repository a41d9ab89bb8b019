package io.ttsmesh.bench.mesh;

import java.util.List;

/**
 * The first searches after the services started, per path, strategies in rotation: what a user of a freshly
 * started mesh waits for, before the JIT has compiled its hot paths, against a freshly started library.
 *
 * @param perPath    searches planned per path
 * @param strategies the pairs, per strategy that got any
 */
record ColdStart(int perPath, List<StrategyOverhead> strategies) {

    ColdStart {
        strategies = List.copyOf(strategies);
    }

    /** Pairs where both searches succeeded. */
    int compared() {
        return strategies.stream().mapToInt(StrategyOverhead::compared).sum();
    }

    /** Total wall time of the cold mesh searches over that of the same searches in-process. */
    double overallRatio() {
        double mesh = strategies.stream().flatMap(s -> s.meshNanos().stream()).mapToLong(Long::longValue).sum();
        double inProcess = strategies.stream().flatMap(s -> s.inProcessNanos().stream()).mapToLong(Long::longValue).sum();
        return LatencyStats.ratio(mesh, inProcess);
    }
}
