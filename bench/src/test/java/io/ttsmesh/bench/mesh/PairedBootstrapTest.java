package io.ttsmesh.bench.mesh;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PairedBootstrapTest {

    @Test
    void pairsWithOneRatioGiveThatRatioWhateverTheirSizes() {
        // every mesh search 1.2x its in-process twin, the searches themselves 10 to 100 ms
        PairedBootstrap.Interval i = PairedBootstrap.ratioOfMeans(List.of(12L, 60L, 120L), List.of(10L, 50L, 100L), 0.95);
        assertThat(i.low()).isCloseTo(1.2, within(1e-12));
        assertThat(i.high()).isCloseTo(1.2, within(1e-12));
    }

    @Test
    void theIntervalHoldsTheRatioAndNarrowsWithMorePairs() {
        Random random = new Random(7);
        List<Long> mesh = new ArrayList<>();
        List<Long> inProcess = new ArrayList<>();
        for (int q = 0; q < 400; q++) {
            long base = 20 + random.nextInt(60);
            inProcess.add(base);
            mesh.add(Math.round(base * (1.0 + 0.3 * random.nextDouble()))); // 1.15x on average, pair by pair 1.0-1.3x
        }
        PairedBootstrap.Interval forty = PairedBootstrap.ratioOfMeans(mesh.subList(0, 40), inProcess.subList(0, 40), 0.95);
        PairedBootstrap.Interval all = PairedBootstrap.ratioOfMeans(mesh, inProcess, 0.95);
        double ratio = mesh.stream().mapToLong(Long::longValue).sum() / (double) inProcess.stream().mapToLong(Long::longValue).sum();
        assertThat(all.low()).isLessThan(ratio);
        assertThat(all.high()).isGreaterThan(ratio);
        assertThat(all.high() - all.low()).isLessThan(forty.high() - forty.low());
        assertThat(all.above(1.10)).isTrue();
        assertThat(all.below(1.10)).isFalse();
    }

    @Test
    void fewerThanTwoPairsHaveNoIntervalAndUnpairedListsAreRefused() {
        assertThat(PairedBootstrap.ratioOfMeans(List.of(5L), List.of(4L), 0.95).low()).isNaN();
        assertThatThrownBy(() -> PairedBootstrap.ratioOfMeans(List.of(5L, 6L), List.of(4L), 0.95))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 against 1");
    }
}
