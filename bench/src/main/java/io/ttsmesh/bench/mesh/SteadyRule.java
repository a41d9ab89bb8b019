package io.ttsmesh.bench.mesh;

import java.util.List;
import java.util.function.Function;

/**
 * When warming up may stop: the last {@value #WINDOW} rounds' mesh totals vary by less than {@value #MAX_SPREAD}
 * of their mean (max - min over mean), and so do their in-process totals; and over those rounds the JIT compiler
 * threads took less than {@link MeshOverheadBenchmark#JIT_QUIET} of the CPU, in the services and in this JVM alike.
 * Both paths must have settled, since the ratio of an unsettled path to a settled one measures the JIT, not the mesh;
 * and round totals can hold still while the services still compile (code the rounds run only now and then), which
 * on shared cores slows every search that runs beside the compiler.
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
        List<WarmupRound> last = window(rounds);
        return spread(last.stream().mapToDouble(WarmupRound::meshMs).toArray()) < MAX_SPREAD
                && spread(last.stream().mapToDouble(WarmupRound::inProcessMs).toArray()) < MAX_SPREAD
                && quiet(pooled(last, WarmupRound::servicesJit)) && quiet(pooled(last, WarmupRound::thisJvmJit));
    }

    /** The last {@value #WINDOW} rounds, or all of them when there are fewer. */
    static List<WarmupRound> window(List<WarmupRound> rounds) {
        return rounds.subList(Math.max(0, rounds.size() - WINDOW), rounds.size());
    }

    /** One side's JIT share pooled over the rounds ({@code side}: the services' or this JVM's). */
    static JitShare pooled(List<WarmupRound> rounds, Function<WarmupRound, JitShare> side) {
        return rounds.stream().map(side).reduce(JitShare.NONE, JitShare::plus);
    }

    /** Under the threshold; a share that could not be read (no CPU seen) does not hold the warm-up. */
    private static boolean quiet(JitShare jit) {
        return !(jit.share() >= MeshOverheadBenchmark.JIT_QUIET);
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
