package io.ttsmesh.search.policy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.sim.ScriptedGenerator;
import io.ttsmesh.search.sim.ScriptedScorer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BudgetForcingTest {

    @Test
    void maximumForcesTheAnswerCue() {
        PolicyHarness h = new PolicyHarness(
                new ScriptedGenerator(id -> List.of("aaaaaaaa", "bbbbbbbb", "A: 3"), (id, lines) -> "4"),
                new ScriptedScorer(s -> 0.5));
        SearchResult r = h.run("self_consistency", Map.of("n", "1"), MethodSpec.of("budget_forcing", Map.of("max_tokens", "10")));
        // 10 tokens "aaaaaaaa\nb", then "\nA:" is appended and the model answers " 4" and ends
        assertThat(h.generator.last().appended()).containsExactly("1:\nA:");
        assertThat(r.answer()).isEqualTo("4");
        assertThat(r.steps()).containsExactly("aaaaaaaa", "b", "A: 4");
        assertThat(r.spend().generatedTokens()).isEqualTo(10 + 3);
        assertThat(h.decisions("budget_forcing")).singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo("1 branch(es) reached the maximum of 10 tokens; the answer cue was appended"));
    }

    @Test
    void minimumReplacesAnEarlyAnswerWithTheContinuationCue() {
        PolicyHarness h = new PolicyHarness(
                new ScriptedGenerator(id -> List.of("1+1=2", "A: 3", "so", "A: 2")), new ScriptedScorer(s -> 0.5));
        SearchResult r = h.run("self_consistency", Map.of("n", "1"), MethodSpec.of("budget_forcing", Map.of("min_tokens", "12")));
        // "1+1=2\n" + "A: 3\n" is 11 tokens < 12: "Wait" revokes the answer 3; the branch reasons on and answers 2
        assertThat(h.generator.last().appended()).containsExactly("1:Wait");
        assertThat(r.answer()).isEqualTo("2");
        assertThat(h.generator.last().extensions()).extracting(e -> e.suppressEos())
                .containsExactly(true, true, true, false);
        assertThat(h.decisions("budget_forcing")).singleElement().satisfies(d -> assertThat(d.reason())
                .isEqualTo("branch 1 answered after 11 of at least 12 tokens; appended the continuation cue (1 of 4)"));
    }
}
