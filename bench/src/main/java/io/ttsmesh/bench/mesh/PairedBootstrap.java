package io.ttsmesh.bench.mesh;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How far a ratio of means (mesh over in-process) could move with other questions of the same kind: the pairs are
 * resampled with replacement, each resample keeping a mesh search beside the in-process search of the same question
 * and seed, and the interval is read off the resampled ratios' percentiles. Forty questions of searches that vary
 * two-fold make a ratio's last digit noise; the interval says which side of a goal a strategy is on beyond that.
 */
final class PairedBootstrap {

    static final int RESAMPLES = 4000;
    /** Fixed, so that a report reads the same every time it is written from the same pairs. */
    private static final long SEED = 20261204;

    private PairedBootstrap() {
    }

    /**
     * The central {@code level} interval (0.95: 2.5th to 97.5th percentile) of sum(a) / sum(b) over resampled pairs;
     * NaN both ways for fewer than two pairs.
     */
    static Interval ratioOfMeans(List<Long> a, List<Long> b, double level) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("pairs: " + a.size() + " against " + b.size());
        }
        int n = a.size();
        if (n < 2) {
            return new Interval(Double.NaN, Double.NaN);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] ratios = new double[RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            double sumA = 0;
            double sumB = 0;
            for (int i = 0; i < n; i++) {
                int pick = random.nextInt(n);
                sumA += a.get(pick);
                sumB += b.get(pick);
            }
            ratios[r] = sumB == 0 ? Double.NaN : sumA / sumB;
        }
        Arrays.sort(ratios);
        double tail = (1 - level) / 2;
        return new Interval(ratios[(int) Math.floor(tail * (RESAMPLES - 1))], ratios[(int) Math.ceil((1 - tail) * (RESAMPLES - 1))]);
    }

    record Interval(double low, double high) {

        boolean above(double x) {
            return low > x;
        }

        boolean below(double x) {
            return high < x;
        }
    }
}
