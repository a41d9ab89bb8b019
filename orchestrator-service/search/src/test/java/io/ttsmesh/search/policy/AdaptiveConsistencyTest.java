package io.ttsmesh.search.policy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.sim.ScriptedGenerator;
import io.ttsmesh.search.sim.ScriptedScorer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class AdaptiveConsistencyTest {

    @Test
    void betaRuleIsTheBinomialTail() {
        assertThat(AdaptiveConsistency.betaRule(2, 0)).isEqualTo(7.0 / 8);
        assertThat(AdaptiveConsistency.betaRule(3, 0)).isEqualTo(15.0 / 16);
        assertThat(AdaptiveConsistency.betaRule(4, 0)).isEqualTo(31.0 / 32);
        assertThat(AdaptiveConsistency.betaRule(4, 1)).isEqualTo(57.0 / 64);
        assertThat(AdaptiveConsistency.betaRule(1, 1)).isEqualTo(0.5);
        assertThat(AdaptiveConsistency.betaRule(60, 50)).isBetween(0.8, 0.9);
    }

    @Test
    void dirichletRuleAgreesWithBetaForTwoAnswers() {
        VoteCount count = VoteCount.of(List.of(), b -> 1);
        var two = new VoteCount(List.of(Map.entry("7", 5.0), Map.entry("3", 1.0)), 6, 6);
        assertThat(AdaptiveConsistency.dirichletRule(two, new Random(3))).isCloseTo(AdaptiveConsistency.betaRule(5, 1), offset(0.03));
        var three = new VoteCount(List.of(Map.entry("7", 5.0), Map.entry("3", 1.0), Map.entry("4", 1.0)), 7, 7);
        assertThat(AdaptiveConsistency.dirichletRule(three, new Random(3))).isLessThan(AdaptiveConsistency.betaRule(5, 1));
        assertThat(count.votes()).isZero();
    }

    @Test
    void stopsWhenTheBetaRuleIsSure() {
        PolicyHarness h = new PolicyHarness(new ScriptedGenerator(id -> List.of("x".repeat(id.intValue()), "A: 7")),
                new ScriptedScorer(s -> 0.5));
        SearchResult r = h.run("self_consistency", Map.of("n", "8"), MethodSpec.of("adaptive_consistency",
                Map.of("threshold", "0.95", "min_votes", "2", "wave", "4")));
        // 2:0 -> 0.875, 3:0 -> 0.9375, 4:0 -> 0.96875 > 0.95: stop after the fourth, before the second wave
        assertThat(r.stopReason()).isEqualTo(StopReason.EARLY_EXIT);
        assertThat(r.answer()).isEqualTo("7");
        assertThat(h.generator.last().extendIds()).containsExactly(List.of(1L, 2L, 3L, 4L));
        assertThat(h.decisions("adaptive_consistency")).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo("exit");
            assertThat(d.values()).containsEntry("probability", 31.0 / 32).containsEntry("votes", 4.0);
            assertThat(d.reason()).isEqualTo("beta rule: answer 7 leads 4 to 0 of 4 votes; P(it stays the majority) = 0.9688 > 0.9500");
        });
    }
}
