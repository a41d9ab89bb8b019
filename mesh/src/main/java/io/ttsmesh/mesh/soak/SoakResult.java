package io.ttsmesh.mesh.soak;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A finished soak: its settings, samples and completions, and the verdicts read from them. */
record SoakResult(String command, Instant started, Instant finished, String run, List<String> mix, long seed,
                  double capacity, long capacityResults, int capacitySeconds, double loadFraction, double rate,
                  double minutes, double warmupMinutes, int sampleSeconds, int idleSeconds, long sent, boolean drained,
                  long duplicates, List<SoakSample> samples, List<KafkaLoad.Completion> completions,
                  long soakStartNanos, long lastSentNanos, long idleStartNanos, long startNanos) {

    /** A JVM's RSS is called growing when its slope is above 0 with 95% confidence and above this share of its mean per hour. */
    static final double GROWTH_PER_HOUR = 0.05;

    /**
     * Least-squares line through a column's samples of the load phase after warm-up, per hour, and the same over the
     * later half of those samples: a leak keeps its slope, a JVM settling in (heap sized up, a bounded cache filling)
     * flattens out, so growth must show in both to count.
     */
    record Slope(String column, int samples, double perHour, double ci95, double mean, double first, double last,
                 double lateHalfPerHour, double lateHalfCi95) {
        boolean growing() {
            return significant(perHour, ci95) && significant(lateHalfPerHour, lateHalfCi95);
        }

        private boolean significant(double slope, double ci) {
            return slope - ci > 0 && slope > GROWTH_PER_HOUR * mean;
        }
    }

    double soakStartSeconds() {
        return (soakStartNanos - startNanos) / 1e9;
    }

    double steadyFromSeconds() {
        return soakStartSeconds() + warmupMinutes * 60;
    }

    List<SoakSample> steady() {
        return samples.stream().filter(s -> s.phase().equals("soak") && s.seconds() >= steadyFromSeconds()).toList();
    }

    List<String> columns(String prefix) {
        return samples.isEmpty() ? List.of() : samples.getFirst().values().keySet().stream().filter(c -> c.startsWith(prefix)).toList();
    }

    Slope slope(String column) {
        List<double[]> points = new ArrayList<>();
        for (SoakSample sample : steady()) {
            double y = sample.get(column);
            if (!Double.isNaN(y)) {
                points.add(new double[] {sample.seconds() / 3600.0, y});
            }
        }
        int n = points.size();
        if (n < 6) {
            return new Slope(column, n, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] all = fit(points);
        double[] late = fit(points.subList(n / 2, n));
        double mean = points.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        return new Slope(column, n, all[0], all[1], mean, points.getFirst()[1], points.getLast()[1], late[0], late[1]);
    }

    /** Slope and its 95% half-interval of a least-squares line through the points. */
    private static double[] fit(List<double[]> points) {
        int n = points.size();
        double mx = points.stream().mapToDouble(p -> p[0]).average().orElseThrow();
        double my = points.stream().mapToDouble(p -> p[1]).average().orElseThrow();
        double sxx = 0;
        double sxy = 0;
        for (double[] p : points) {
            sxx += (p[0] - mx) * (p[0] - mx);
            sxy += (p[0] - mx) * (p[1] - my);
        }
        double b = sxy / sxx;
        double rss = 0;
        for (double[] p : points) {
            double r = p[1] - (my + b * (p[0] - mx));
            rss += r * r;
        }
        return new double[] {b, 1.96 * Math.sqrt(rss / (n - 2) / sxx)};
    }

    /** The last sample of the idle phase (after every result was in and the idle period passed). */
    SoakSample lastIdle() {
        return samples.stream().filter(s -> s.phase().equals("idle")).reduce((a, b) -> b).orElse(null);
    }

    boolean idleClean() {
        SoakSample idle = lastIdle();
        if (idle == null) {
            return false;
        }
        for (String c : columns("live_branches.")) {
            if (idle.get(c) != 0) {
                return false;
            }
        }
        for (String c : columns("kv_stored_mb.")) {
            if (idle.get(c) != 0) {
                return false;
            }
        }
        for (String c : columns("sessions.")) {
            if (idle.get(c) != 0) {
                return false;
            }
        }
        return idle.get("searches_running.orchestrator") == 0 && drained;
    }

    boolean passed() {
        return idleClean() && columns("rss_mb.").stream().map(this::slope).noneMatch(Slope::growing);
    }

    /** p50 and p99 latency (ms) of the results of requests sent in the first and the last third of the steady load. */
    Map<String, double[]> latencyThirds() {
        long from = startNanos + (long) (steadyFromSeconds() * 1e9);
        long span = lastSentNanos - from;
        Map<String, double[]> out = new LinkedHashMap<>();
        if (span <= 0) {
            return out;
        }
        long firstEnd = from + span / 3;
        long lastStart = lastSentNanos - span / 3;
        out.put("first third", percentiles(from, firstEnd));
        out.put("last third", percentiles(lastStart, lastSentNanos));
        return out;
    }

    private double[] percentiles(long fromNanos, long toNanos) {
        double[] l = completions.stream().filter(c -> !c.failed() && c.sentNanos() >= fromNanos && c.sentNanos() < toNanos)
                .mapToDouble(KafkaLoad.Completion::latencyMs).sorted().toArray();
        return new double[] {l.length, SoakRecorder.percentile(l, 0.5), SoakRecorder.percentile(l, 0.99)};
    }

    /** Failed results (stop reason FAILED or dead letters) by outcome, over the whole run. */
    Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        completions.stream().filter(KafkaLoad.Completion::failed).forEach(c -> out.merge(c.outcome(), 1L, Long::sum));
        return out;
    }

    double[] loadAverage() {
        double[] l = samples.stream().mapToDouble(s -> s.get("load_avg_1m")).filter(d -> !Double.isNaN(d)).toArray();
        if (l.length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[] {java.util.Arrays.stream(l).min().orElseThrow(), java.util.Arrays.stream(l).average().orElseThrow(),
                java.util.Arrays.stream(l).max().orElseThrow()};
    }

    String verdictLines() {
        StringBuilder b = new StringBuilder();
        for (String c : columns("rss_mb.")) {
            Slope s = slope(c);
            b.append(String.format("%-24s %+8.1f MB/h (+-%.1f), later half %+8.1f MB/h (+-%.1f), mean %.0f MB: %s%n", c, s.perHour(), s.ci95(),
                    s.lateHalfPerHour(), s.lateHalfCi95(), s.mean(),
                    s.growing() ? "GROWING" : "no growth"));
        }
        SoakSample idle = lastIdle();
        b.append(String.format("idle after %d s: live branches %s, sessions %s, searches running %s: %s%n", idleSeconds,
                idle == null ? "?" : fmt(idle.get("live_branches.generator")), idle == null ? "?" : fmt(idle.get("sessions.generator")),
                idle == null ? "?" : fmt(idle.get("searches_running.orchestrator")), idleClean() ? "clean" : "NOT CLEAN"));
        return b.toString();
    }

    static String fmt(double d) {
        return Double.isNaN(d) ? "n/a" : d == Math.rint(d) ? Long.toString((long) d) : String.format("%.2f", d);
    }
}
