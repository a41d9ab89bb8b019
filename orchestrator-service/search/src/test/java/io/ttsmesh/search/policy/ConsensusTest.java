package io.ttsmesh.search.policy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.sim.ScriptedGenerator;
import io.ttsmesh.search.sim.ScriptedScorer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConsensusTest {

    /** Branch i thinks for i characters, then answers; answers by branch: 7, 7, 7, 5, then 9s. */
    private static List<String> script(long id) {
        String answer = id <= 3 ? "7" : id == 4 ? "5" : "9";
        return List.of("x".repeat((int) id), "A: " + answer);
    }

    @Test
    void exitsWhenTheLeaderHoldsTauOfTheVoteAndCancelsTheBranchesStillGenerating() {
        PolicyHarness h = new PolicyHarness(new ScriptedGenerator(ConsensusTest::script), new ScriptedScorer(s -> 0.5));
        SearchResult r = h.run("self_consistency", Map.of("n", "8"),
                MethodSpec.of("consensus", Map.of("tau", "0.75", "min_votes", "3", "wave", "4")));

        assertThat(r.stopReason()).isEqualTo(StopReason.EARLY_EXIT);
        assertThat(r.answer()).isEqualTo("7");
        // the first wave only: branches 1..4 together; 1, 2, 3 finish first (shortest), then the exit
        assertThat(h.generator.last().extendIds()).containsExactly(List.of(1L, 2L, 3L, 4L));
        assertThat(h.decisions("consensus")).containsExactly(new SearchEvent.PolicyDecision("consensus", "exit",
                "answer 7 holds 100% of the vote of 3 finished branches (>= 75%)", List.of(),
                Map.of("share", 1.0, "tau", 0.75, "votes", 3.0)));
        assertThat(h.prunedBy("consensus")).containsExactly(4L);
        assertThat(r.stopDetail()).startsWith("consensus: answer 7 holds 100%");
        // branches 5..8 never generated a token; branch 4 stopped when branch 3 finished
        long full = 0;
        for (long id = 1; id <= 3; id++) {
            full += id + 1 + 4 + 1; // thinking, "\n", "A: 7", EOS
        }
        assertThat(r.spend().generatedTokens()).isEqualTo(full + 9); // branch 4 had written 9 tokens by then
    }

    @Test
    void waitsForMinVotesAndAShareAboveTau() {
        PolicyHarness h = new PolicyHarness(new ScriptedGenerator(ConsensusTest::script), new ScriptedScorer(s -> 0.5));
        SearchResult r = h.run("self_consistency", Map.of("n", "8"),
                MethodSpec.of("consensus", Map.of("tau", "0.9", "min_votes", "4", "wave", "4")));
        // 7,7,7,5 is 75% < 90%: the next wave of 9s comes, and 9 never reaches 90% either
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(h.decisions("consensus")).isEmpty();
        assertThat(h.generator.last().extendIds()).containsExactly(List.of(1L, 2L, 3L, 4L), List.of(5L, 6L, 7L, 8L));
        assertThat(r.answer()).isEqualTo("9");
    }

    @Test
    void scoreWeightedVoteScoresFinishedBranchesAtTheWaveEnd() {
        // the verifier trusts answer 5 far more than 7
        PolicyHarness h = new PolicyHarness(new ScriptedGenerator(ConsensusTest::script),
                new ScriptedScorer(s -> s.equals("A: 5") ? 0.99 : s.startsWith("A:") ? 0.1 : 0.5));
        SearchResult r = h.run("weighted_best_of_n", Map.of("n", "8"),
                MethodSpec.of("consensus", Map.of("tau", "0.7", "min_votes", "4", "weight", "score", "wave", "4")));
        // 5: 0.99 against 7: 3 x 0.1 = 0.3 -> 77% of the weighted vote after the first wave
        assertThat(r.stopReason()).isEqualTo(StopReason.EARLY_EXIT);
        assertThat(r.answer()).isEqualTo("5");
        assertThat(h.decisions("consensus")).singleElement().satisfies(d -> {
            assertThat(d.values().get("share")).isCloseTo(0.99 / 1.29, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(d.reason()).contains("score-weighted");
        });
        assertThat(r.spend().verifierCalls()).isEqualTo(4);
    }
}
