package io.ttsmesh.bench.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EqualTokenMatchTest {

    private static final EqualTokenMatch WITHIN_10 = new EqualTokenMatch(0.10, 4, 64, 1);

    @Test
    void aGoodFirstGuessIsMeasuredOnceAndAccepted() throws Exception {
        List<Integer> measured = new ArrayList<>();
        EqualTokenMatch.Match m = WITHIN_10.find(800, 49.5, n -> {
            measured.add(n);
            return 49.5 * n;
        });
        assertThat(measured).containsExactly(16);
        assertThat(m.n()).isEqualTo(16);
        assertThat(m.within()).isTrue();
        assertThat(m.ratio()).isCloseTo(0.99, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aWrongEstimateIsCorrectedByRescalingN() throws Exception {
        // the baseline really spends 60 tokens per sample, not the 40 assumed
        EqualTokenMatch.Match m = WITHIN_10.find(800, 40, n -> 60.0 * n);
        assertThat(m.trials()).extracting(EqualTokenMatch.Trial::n).containsExactly(20, 13);
        assertThat(m.n()).isEqualTo(13);
        assertThat(m.meanTokens()).isEqualTo(780);
        assertThat(m.within()).isTrue();
    }

    @Test
    void whenNoNIsCloseEnoughTheClosestIsReturnedAndSaysSo() throws Exception {
        // a single sample already costs 49 tokens: 30 cannot be matched
        EqualTokenMatch.Match m = WITHIN_10.find(30, 49, n -> 49.0 * n);
        assertThat(m.n()).isEqualTo(1);
        assertThat(m.within()).isFalse();
        assertThat(m.ratio()).isGreaterThan(1.6);
        assertThat(m.describe()).contains("NOT within");
        assertThat(m.trials()).hasSize(1);
    }

    @Test
    void nStaysAMultipleOfTheStepAndTheSearchStopsWhenNRepeats() throws Exception {
        EqualTokenMatch beams = new EqualTokenMatch(0.10, 6, 64, 4);
        EqualTokenMatch.Match m = beams.find(700, 50, n -> 50.0 * n);
        assertThat(m.trials()).extracting(EqualTokenMatch.Trial::n).containsExactly(16, 12);
        assertThat(m.trials()).allSatisfy(t -> assertThat(t.n() % 4).isZero());
        assertThat(m.n()).isEqualTo(16); // 800/700 = 1.143 is closer than 600/700 = 0.857
        assertThat(m.within()).isFalse();
    }

    @Test
    void noisyTokensAreMatchedWithinTheTrialsAllowed() throws Exception {
        // tokens grow with N but not in proportion (a fixed prompt cost per search)
        EqualTokenMatch.Match m = WITHIN_10.find(500, 50, n -> 120 + 30.0 * n);
        assertThat(m.within()).isTrue();
        assertThat(Math.abs(m.meanTokens() / 500 - 1)).isLessThanOrEqualTo(0.10);
        assertThat(m.trials().size()).isLessThanOrEqualTo(4);
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> WITHIN_10.find(0, 10, n -> 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EqualTokenMatch(0.1, 3, 2, 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
