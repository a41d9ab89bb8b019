package io.ttsmesh.bench.eval.stats;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BootstrapTest {

    private static double[] accuracy(int n, int correct) {
        double[] v = new double[n];
        Arrays.fill(v, 0, correct, 1.0);
        return v;
    }

    @Test
    void matchesTheNormalApproximationForABinomialProportion() {
        Bootstrap.Interval ci = new Bootstrap(4000, 7).mean(accuracy(400, 200));
        double halfWidth = 1.96 * Math.sqrt(0.5 * 0.5 / 400); // 0.049
        assertThat(ci.estimate()).isEqualTo(0.5);
        assertThat(ci.low()).isCloseTo(0.5 - halfWidth, within(0.01));
        assertThat(ci.high()).isCloseTo(0.5 + halfWidth, within(0.01));
    }

    @Test
    void isReproducibleForASeedAndDegenerateWhenAllAgree() {
        double[] v = accuracy(50, 31);
        assertThat(new Bootstrap(1000, 3).mean(v)).isEqualTo(new Bootstrap(1000, 3).mean(v));
        assertThat(new Bootstrap(1000, 3).mean(accuracy(20, 20))).isEqualTo(new Bootstrap.Interval(1, 1, 1));
        assertThat(new Bootstrap(1000, 3).mean(new double[0]).estimate()).isNaN();
    }

    @Test
    void pairedDifferencesCancelWhatBothRunsShare() {
        double[] a = accuracy(200, 120);
        double[] same = a.clone();
        assertThat(new Bootstrap(1000, 1).pairedDifference(a, same)).isEqualTo(new Bootstrap.Interval(0, 0, 0));
        double[] oneMore = a.clone();
        oneMore[150] = 1; // one question more right
        Bootstrap.Interval d = new Bootstrap(2000, 1).pairedDifference(oneMore, a);
        assertThat(d.estimate()).isCloseTo(0.005, within(1e-12));
        assertThat(d.low()).isGreaterThanOrEqualTo(0);
        // an unpaired interval of either run is far wider than the paired difference's
        Bootstrap.Interval single = new Bootstrap(2000, 1).mean(a);
        assertThat(d.high() - d.low()).isLessThan((single.high() - single.low()) / 5);
        assertThatThrownBy(() -> new Bootstrap(1000, 1).pairedDifference(a, new double[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nearestRankPercentiles() {
        long[] v = new long[100];
        for (int i = 0; i < 100; i++) {
            v[i] = 100 - i; // 1..100, unsorted
        }
        assertThat(Percentiles.nearestRank(v, 50)).isEqualTo(50);
        assertThat(Percentiles.nearestRank(v, 99)).isEqualTo(99);
        assertThat(Percentiles.nearestRank(v, 100)).isEqualTo(100);
        assertThat(Percentiles.nearestRank(new long[] {7}, 99)).isEqualTo(7);
        assertThat(Percentiles.nearestRank(new long[0], 50)).isZero();
    }
}
