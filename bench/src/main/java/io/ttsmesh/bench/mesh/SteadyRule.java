package io.ttsmesh.bench.mesh;

import java.util.List;

/**
 * When warming up may stop: the last {@value #WINDOW} rounds' mesh totals vary by less than {@value #MAX_SPREAD}
 * of their mean (max - min over mean), and so do their in-process totals. Both paths must have settled, since
 * the ratio of an unsettled path to a settled one measures the JIT, not the mesh.
 */
final class SteadyRule {

    static final int WINDOW = 3;
    static final double MAX_SPREAD = 0.05;

    private SteadyRule() {
    }

    static boolean steady(List<WarmupRound> rounds) {
        if (rounds.size() < WINDOW) {
            return false;
        }
        List<WarmupRound> last = rounds.subList(rounds.size() - WINDOW, rounds.size());
        return spread(last.stream().mapToDouble(WarmupRound::meshMs).toArray()) < MAX_SPREAD
                && spread(last.stream().mapToDouble(WarmupRound::inProcessMs).toArray()) < MAX_SPREAD;
    }

    /** (max - min) / mean; NaN for no values or a mean of zero. */
    static double spread(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        double mean = sum / values.length;
        return mean > 0 ? (max - min) / mean : Double.NaN;
    }
}
