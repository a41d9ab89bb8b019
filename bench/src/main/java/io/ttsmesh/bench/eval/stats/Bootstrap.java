package io.ttsmesh.bench.eval.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap intervals: resample the questions with replacement, recompute the statistic, take the
 * 2.5th and 97.5th percentiles of the resampled values. Seeded, so a report's intervals are reproducible.
 */
public final class Bootstrap {

    /** An interval around a point estimate. */
    public record Interval(double estimate, double low, double high) {
    }

    private final int resamples;
    private final long seed;

    public Bootstrap(int resamples, long seed) {
        if (resamples < 100) {
            throw new IllegalArgumentException("at least 100 resamples, got " + resamples);
        }
        this.resamples = resamples;
        this.seed = seed;
    }

    /** 95% interval of the mean of {@code values} (accuracy: 1 correct, 0 not). */
    public Interval mean(double[] values) {
        if (values.length == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double estimate = Arrays.stream(values).average().orElseThrow();
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[resamples];
        int n = values.length;
        for (int b = 0; b < resamples; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[random.nextInt(n)];
            }
            means[b] = sum / n;
        }
        Arrays.sort(means);
        return new Interval(estimate, percentile(means, 0.025), percentile(means, 0.975));
    }

    /**
     * 95% interval of the mean difference {@code a[i] - b[i]} of two runs over the same questions (paired: the
     * same resampled questions on both sides, so the interval reflects the difference, not each run's noise).
     */
    public Interval pairedDifference(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples differ in length: " + a.length + " vs " + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return mean(d);
    }

    /** Linear interpolation between order statistics of a sorted array (q in [0, 1]). */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
