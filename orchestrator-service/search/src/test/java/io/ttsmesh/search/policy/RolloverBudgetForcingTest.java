package io.ttsmesh.search.policy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.sim.ScriptedGenerator;
import io.ttsmesh.search.sim.ScriptedScorer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RolloverBudgetForcingTest {

    private static final Map<String, Double> SCORES = Map.of("bad0", 0.2, "good0", 0.9, "ok1", 0.7, "A: 1", 0.95);

    /** Candidate 2 writes "bad0" first, every other candidate "good0"; then everyone "ok1", then the answer. */
    private static List<String> script(long id) {
        return List.of(id == 2 ? "bad0" : "good0", "ok1", "A: 1");
    }

    @Test
    void drawsUntilACandidateBeatsTheBarAndRollsTheUnusedQuotaOver() {
        PolicyHarness h = new PolicyHarness(new ScriptedGenerator(RolloverBudgetForcingTest::script),
                new ScriptedScorer(s -> SCORES.getOrDefault(s, 0.5)));
        SearchResult r = h.run("best_of_n", Map.of("n", "1"),
                MethodSpec.of("rollover", Map.of("step_quota", "20", "initial_bar", "0.5")));

        assertThat(r.answer()).isEqualTo("1");
        assertThat(r.steps()).containsExactly("good0", "ok1", "A: 1");
        var accepts = h.decisions("rollover");
        assertThat(accepts).extracting(d -> d.values().get("quota") + "/" + d.values().get("spent") + "/" + d.values().get("candidates"))
                // step 1: "bad0\n" (5) fails the bar 0.5, "good0\n" (6) passes: 9 of 20 roll over
                // step 2: bar 0.9; "ok1\n" (4 tokens, 0.7) never passes: 8 candidates use up 29, the best is taken
                // step 3: quota 20 - 3; "A: 1" + EOS passes at once
                .containsExactly("20.0/11.0/2.0", "29.0/32.0/8.0", "17.0/5.0/1.0");
        assertThat(accepts.get(1).reason()).startsWith("quota of 29 tokens used after 8 candidates; the best scored 0.700");
        // one candidate per generator call and per verifier call (batch 1, one branch)
        assertThat(h.generator.last().extendIds()).allMatch(ids -> ids.size() == 1).hasSize(11);
        assertThat(r.spend().verifierCalls()).isEqualTo(11);
    }

    @Test
    void batchesDrawSeveralCandidatesPerCall() {
        PolicyHarness h = new PolicyHarness(new ScriptedGenerator(RolloverBudgetForcingTest::script),
                new ScriptedScorer(s -> SCORES.getOrDefault(s, 0.5)));
        SearchResult r = h.run("best_of_n", Map.of("n", "1"),
                MethodSpec.of("rollover", Map.of("step_quota", "20", "batch", "2")));
        assertThat(r.answer()).isEqualTo("1");
        assertThat(h.generator.last().extendIds()).allMatch(ids -> ids.size() == 2);
    }
}
