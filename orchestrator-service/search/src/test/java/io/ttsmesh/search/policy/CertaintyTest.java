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

class CertaintyTest {

    @Test
    void endsABranchWhenItsLastProbesAgree() {
        // the probe reads 3 after the first line, 5 from the second on
        PolicyHarness h = new PolicyHarness(
                new ScriptedGenerator(id -> List.of("l1", "l2", "l3", "l4", "l5", "A: 9"), (id, lines) -> lines < 2 ? "3" : "5"),
                new ScriptedScorer(s -> 0.5));
        SearchResult r = h.run("self_consistency", Map.of("n", "1"),
                MethodSpec.of("certainty", Map.of("agree", "3")));
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.answer()).isEqualTo("5");
        assertThat(r.steps()).containsExactly("l1", "l2", "l3", "l4", "A: 5");
        assertThat(h.generator.last().probed()).containsExactly(1L, 1L, 1L, 1L);
        assertThat(h.decisions("certainty")).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo("stop_branch");
            assertThat(d.reason()).isEqualTo("the last 3 probes of branch 1 all answered 5");
        });
        assertThat(h.events.of(SearchEvent.BranchFinished.class)).singleElement()
                .isEqualTo(new SearchEvent.BranchFinished(1, "stopped", "5", Double.NaN));
        // 4 steps of 3 tokens, 4 probes of 2 tokens (" 3", " 5", ...); "l5" and the answer were never generated
        assertThat(r.spend().generatedTokens()).isEqualTo(4 * 3 + 4 * 2);
        assertThat(r.spend().prefillTokens()).isEqualTo("Q: 1+2\n".length() + 4 * "A:".length());
    }

    @Test
    void searchScopeExitsWhenEveryBranchAgreesAtConsecutiveCheckpoints() {
        PolicyHarness h = new PolicyHarness(
                new ScriptedGenerator(id -> List.of("l1", "l2", "l3", "l4", "A: 9"), (id, lines) -> lines < 2 ? "" + id : "5"),
                new ScriptedScorer(s -> 0.5));
        SearchResult r = h.run("self_consistency", Map.of("n", "2"),
                MethodSpec.of("certainty", Map.of("agree", "2", "scope", "search")));
        assertThat(r.stopReason()).isEqualTo(StopReason.EARLY_EXIT);
        assertThat(r.answer()).isEqualTo("5");
        assertThat(r.answers()).extracting(a -> a.answer() + ":" + a.votes()).containsExactly("5:2");
        // probes after steps 1 (1 and 2 disagree), 2 (both 5) and 3 (both 5 again): exit
        assertThat(h.generator.last().probed()).hasSize(6);
        assertThat(h.decisions("certainty")).extracting(SearchEvent.PolicyDecision::action).containsExactly("exit");
    }
}
