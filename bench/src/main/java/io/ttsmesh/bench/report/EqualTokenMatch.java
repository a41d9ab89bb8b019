package io.ttsmesh.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Finds the N at which a baseline spends the same mean generated tokens as a method it is compared with: a
 * comparison at equal compute, measured rather than interpolated. Start from the N that the baseline's known
 * tokens per unit of N predict, measure, rescale N by target / measured, and stop once within the tolerance, when N
 * repeats, or after the allowed trials; the closest measurement is the match (and says whether it is within).
 */
public final class EqualTokenMatch {

    /** Measures the baseline at one N: its mean generated tokens on the comparison's questions. */
    @FunctionalInterface
    public interface Measure {
        double meanTokens(int n) throws InterruptedException;
    }

    /** One measured N. */
    public record Trial(int n, double meanTokens) {
    }

    /**
     * @param ratio the baseline's mean tokens over the target's
     * @param within whether the ratio is within the tolerance
     * @param trials every N measured, in order
     */
    public record Match(double target, int n, double meanTokens, double ratio, boolean within, List<Trial> trials) {

        public String describe() {
            return String.format(Locale.ROOT, "N = %d: %.0f tokens vs %.0f (ratio %.2f%s)", n, meanTokens, target, ratio,
                    within ? "" : ", NOT within the tolerance");
        }
    }

    private final double tolerance;
    private final int maxTrials;
    private final int maxN;
    private final int step;

    /**
     * @param tolerance largest accepted |baseline tokens / target tokens - 1| (0.10: within 10%)
     * @param maxTrials N values measured at most
     * @param maxN the largest N tried (the strategy's own limit)
     * @param step N is a multiple of it (beam search and DVTS: the beam width)
     */
    public EqualTokenMatch(double tolerance, int maxTrials, int maxN, int step) {
        if (tolerance <= 0 || maxTrials < 1 || step < 1 || maxN < step) {
            throw new IllegalArgumentException("tolerance > 0, maxTrials >= 1, step >= 1 and maxN >= step required");
        }
        this.tolerance = tolerance;
        this.maxTrials = maxTrials;
        this.maxN = maxN;
        this.step = step;
    }

    /**
     * @param target the mean tokens to match
     * @param tokensPerN the baseline's tokens per unit of N as known beforehand (mean tokens at some N, over N)
     */
    public Match find(double target, double tokensPerN, Measure measure) throws InterruptedException {
        if (!(target > 0) || !(tokensPerN > 0)) {
            throw new IllegalArgumentException("target and tokens per N must be positive, got " + target + " and " + tokensPerN);
        }
        List<Trial> trials = new ArrayList<>();
        int n = clamp((int) Math.round(target / tokensPerN));
        while (trials.size() < maxTrials) {
            double tokens = measure.meanTokens(n);
            trials.add(new Trial(n, tokens));
            if (Math.abs(tokens / target - 1) <= tolerance) {
                break;
            }
            int next = tokens > 0 ? clamp((int) Math.round(n * target / tokens)) : clamp(n * 2);
            if (next == n) {
                next = clamp(tokens < target ? n + step : n - step);
            }
            final int candidate = next;
            if (trials.stream().anyMatch(t -> t.n() == candidate)) {
                break;
            }
            n = next;
        }
        Trial best = trials.stream().min(Comparator.comparingDouble((Trial t) -> Math.abs(t.meanTokens() / target - 1))
                .thenComparingInt(Trial::n)).orElseThrow();
        double ratio = best.meanTokens() / target;
        return new Match(target, best.n(), best.meanTokens(), ratio, Math.abs(ratio - 1) <= tolerance, List.copyOf(trials));
    }

    private int clamp(int n) {
        int multiple = (int) Math.round((double) n / step) * step;
        return Math.max(step, Math.min(maxN / step * step, multiple));
    }
}
