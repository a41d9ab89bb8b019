package io.ttsmesh.bench.mesh;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SteadyRuleTest {

    private static final JitShare QUIET = new JitShare(10_000_000, 1_000_000_000);

    private static WarmupRound round(int i, double mesh, double inProcess) {
        return new WarmupRound(i, 9, mesh, inProcess, QUIET, QUIET);
    }

    @Test
    void spreadIsMaxMinusMinOverMean() {
        assertThat(SteadyRule.spread(new double[] {90, 100, 110})).isCloseTo(0.2, within(1e-12));
        assertThat(SteadyRule.spread(new double[] {5, 5, 5})).isZero();
        assertThat(SteadyRule.spread(new double[] {})).isNaN();
        assertThat(SteadyRule.spread(new double[] {0, 0})).isNaN();
    }

    @Test
    void steadyOnlyWhenTheLastThreeRoundsOfBothPathsVaryByLessThanFivePercent() {
        // mesh 1000, 1020, 1040: spread 40/1020 = 3.9%; in-process 500, 510, 520: 3.9%
        List<WarmupRound> settled = List.of(round(1, 3000, 900), round(2, 1000, 500), round(3, 1020, 510), round(4, 1040, 520));
        assertThat(SteadyRule.steady(settled)).isTrue();
        // the first, slow round is outside the window; with it inside, not steady
        assertThat(SteadyRule.steady(settled.subList(0, 3))).isFalse();
        // fewer rounds than the window: never steady
        assertThat(SteadyRule.steady(settled.subList(1, 3))).isFalse();
        // mesh settled, in-process not (500 to 540: 7.7%)
        assertThat(SteadyRule.steady(List.of(round(1, 1000, 500), round(2, 1010, 540), round(3, 1000, 520)))).isFalse();
        // in-process settled, mesh not
        assertThat(SteadyRule.steady(List.of(round(1, 1000, 500), round(2, 1060, 501), round(3, 1000, 502)))).isFalse();
        // exactly 5% is not less than 5%
        assertThat(SteadyRule.steady(List.of(round(1, 975, 500), round(2, 1000, 500), round(3, 1025, 500)))).isFalse();
    }

    @Test
    void notSteadyWhileTheJitStillCompilesOverTheWindowInTheServicesOrThisJvm() {
        JitShare busy = new JitShare(200_000_000, 1_000_000_000);
        List<WarmupRound> compiling = List.of(round(1, 1000, 500), round(2, 1000, 500),
                new WarmupRound(3, 9, 1000, 500, busy, QUIET));
        // 0.01 + 0.01 + 0.2 over 3 s of services' CPU: 7.3%
        assertThat(SteadyRule.pooled(SteadyRule.window(compiling), WarmupRound::servicesJit).share()).isCloseTo(0.22 / 3, within(1e-12));
        assertThat(SteadyRule.steady(compiling)).isFalse();
        assertThat(SteadyRule.steady(List.of(round(1, 1000, 500), new WarmupRound(2, 9, 1000, 500, QUIET, busy),
                round(3, 1000, 500)))).isFalse();
        // one compile (50 ms of 1 s) inside a window that is quiet overall: 2.3%, steady
        assertThat(SteadyRule.steady(List.of(round(1, 1000, 500), round(2, 1000, 500),
                new WarmupRound(3, 9, 1000, 500, new JitShare(50_000_000, 1_000_000_000), QUIET)))).isTrue();
        // a share that could not be read holds nothing up
        assertThat(SteadyRule.steady(List.of(new WarmupRound(1, 9, 1000, 500, JitShare.NONE, JitShare.NONE),
                new WarmupRound(2, 9, 1000, 500, JitShare.NONE, JitShare.NONE),
                new WarmupRound(3, 9, 1000, 500, JitShare.NONE, JitShare.NONE)))).isTrue();
    }

    @Test
    void aRoundReportsMsPerSearchAndItsRatio() {
        WarmupRound r = round(3, 900, 600);
        assertThat(r.meshMsPerSearch()).isEqualTo(100);
        assertThat(r.inProcessMsPerSearch()).isCloseTo(66.667, within(1e-3));
        assertThat(r.ratio()).isEqualTo(1.5);
        assertThat(new WarmupRound(1, 0, 0, 0, QUIET, QUIET).meshMsPerSearch()).isNaN();
    }
}
