package io.ttsmesh.bench.eval.stats;

import java.util.Arrays;

/** Latency percentiles by the nearest-rank method (p99 of 100 values is the 99th smallest). */
public final class Percentiles {

    private Percentiles() {
    }

    public static long nearestRank(long[] values, double p) {
        if (values.length == 0) {
            return 0;
        }
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
