package io.ttsmesh.bench.mesh;

import java.util.Arrays;
import java.util.List;

/**
 * Summary of wall times in milliseconds. Percentiles are nearest-rank (p50 of 1..10 is 5, p99 of 100 values the
 * 99th), so every reported value is one that was measured.
 */
record LatencyStats(int count, double meanMs, double p50Ms, double p99Ms, double minMs, double maxMs) {

    static final LatencyStats EMPTY = new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    static LatencyStats ofNanos(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return EMPTY;
        }
        double[] ms = nanos.stream().mapToDouble(n -> n / 1e6).sorted().toArray();
        return new LatencyStats(ms.length, Arrays.stream(ms).average().orElseThrow(), percentile(ms, 50),
                percentile(ms, 99), ms[0], ms[ms.length - 1]);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** a / b, or NaN when either is missing. */
    static double ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? Double.NaN : a / b;
    }
}
