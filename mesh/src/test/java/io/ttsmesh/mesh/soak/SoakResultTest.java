package io.ttsmesh.mesh.soak;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class SoakResultTest {

    private static final long S = 1_000_000_000L;

    /** 30 min of 10-s samples of one JVM's RSS: {@code mbPerHour} growth plus +-{@code noise} MB, then 60 s idle. */
    private static SoakResult run(double mbPerHour, double noise, double idleBranches) {
        return run(t -> 300 + mbPerHour * t / 3600.0, noise, idleBranches);
    }

    private static SoakResult run(java.util.function.IntToDoubleFunction rssAt, double noise, double idleBranches) {
        SplittableRandom random = new SplittableRandom(3);
        List<SoakSample> samples = new ArrayList<>();
        for (int t = 10; t <= 1800; t += 10) {
            double rss = rssAt.applyAsDouble(t) + (random.nextDouble() * 2 - 1) * noise;
            samples.add(new SoakSample(t, "soak", Map.of("rss_mb.generator", rss, "live_branches.generator", 12.0,
                    "sessions.generator", 3.0, "kv_stored_mb.generator", 4.0, "searches_running.orchestrator", 2.0)));
        }
        samples.add(new SoakSample(1870, "idle", Map.of("rss_mb.generator", 300.0, "live_branches.generator", idleBranches,
                "sessions.generator", 0.0, "kv_stored_mb.generator", idleBranches == 0 ? 0.0 : 1.0, "searches_running.orchestrator", 0.0)));
        return new SoakResult("soak", Instant.EPOCH, Instant.EPOCH, "r", List.of("best_of_n"), 1, 2, 120, 60, 0.7, 1.4, 30, 5,
                10, 60, 2500, true, 0, samples, List.of(), 0, 1800 * S, 1810 * S, 0);
    }

    @Test
    void aSteadyRssWithNoiseIsNoGrowthAndAGrowingOneIsCaught() {
        SoakResult flat = run(0, 8, 0);
        assertThat(flat.slope("rss_mb.generator").growing()).isFalse();
        assertThat(flat.slope("rss_mb.generator").samples()).isEqualTo(151); // 300 s to 1800 s: the first 5 minutes left out
        assertThat(flat.passed()).isTrue();

        SoakResult leaking = run(60, 8, 0);
        SoakResult.Slope slope = leaking.slope("rss_mb.generator");
        assertThat(slope.perHour()).isBetween(50.0, 70.0);
        assertThat(slope.growing()).isTrue();
        assertThat(leaking.passed()).isFalse();
    }

    @Test
    void aJvmSettlingInIsNoGrowthWhileOneStillGrowingInTheLaterHalfIs() {
        // +180 MB over the first 15 minutes, then flat: a heap sized up, a bounded cache filled
        SoakResult settling = run(t -> 300 + 180 * Math.min(t, 900) / 900.0, 2, 0);
        SoakResult.Slope s = settling.slope("rss_mb.generator");
        assertThat(s.perHour()).isGreaterThan(50);
        assertThat(s.perHour() - s.ci95()).isPositive();
        assertThat(s.lateHalfPerHour()).isLessThan(15);
        assertThat(s.growing()).isFalse();

        // flat first, growing later: caught by both
        SoakResult late = run(t -> 300 + 120 * Math.max(0, t - 900) / 3600.0, 2, 0);
        assertThat(late.slope("rss_mb.generator").growing()).isTrue();
    }

    @Test
    void branchesLeftWhenIdleFailTheSoak() {
        SoakResult leftovers = run(0, 8, 3);
        assertThat(leftovers.idleClean()).isFalse();
        assertThat(leftovers.passed()).isFalse();
        assertThat(leftovers.verdictLines()).contains("NOT CLEAN");
    }
}
