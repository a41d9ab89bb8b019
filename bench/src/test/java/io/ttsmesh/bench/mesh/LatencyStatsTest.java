package io.ttsmesh.bench.mesh;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatencyStatsTest {

    @Test
    void nearestRankPercentilesAreMeasuredValues() {
        // 1..100 ms in random order
        List<Long> nanos = LongStream.rangeClosed(1, 100).map(i -> (i * 37 % 100 + 1) * 1_000_000).boxed().toList();
        LatencyStats s = LatencyStats.ofNanos(nanos);
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.meanMs()).isEqualTo(50.5);
        assertThat(s.p50Ms()).isEqualTo(50.0);
        assertThat(s.p99Ms()).isEqualTo(99.0);
        assertThat(s.minMs()).isEqualTo(1.0);
        assertThat(s.maxMs()).isEqualTo(100.0);
    }

    @Test
    void smallSamples() {
        assertThat(LatencyStats.percentile(new double[] {7}, 99)).isEqualTo(7);
        assertThat(LatencyStats.percentile(new double[] {1, 2, 3}, 50)).isEqualTo(2);
        assertThat(LatencyStats.percentile(new double[] {1, 2, 3, 4}, 50)).isEqualTo(2);
        assertThat(LatencyStats.ofNanos(List.of()).count()).isZero();
        assertThat(LatencyStats.ofNanos(List.of()).meanMs()).isNaN();
        assertThatThrownBy(() -> LatencyStats.percentile(new double[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratioIsNaNWhenAnythingIsMissing() {
        assertThat(LatencyStats.ratio(115, 100)).isEqualTo(1.15);
        assertThat(LatencyStats.ratio(1, 0)).isNaN();
        assertThat(LatencyStats.ratio(Double.NaN, 1)).isNaN();
    }
}
