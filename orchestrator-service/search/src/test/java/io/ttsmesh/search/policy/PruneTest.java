package io.ttsmesh.search.policy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.sim.ScriptedGenerator;
import io.ttsmesh.search.sim.ScriptedScorer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PruneTest {

    private static final Map<String, Double> FIRST_STEP = Map.of("a1", 0.9, "a2", 0.2, "a3", 0.8, "a4", 0.1);

    private final PolicyHarness h = new PolicyHarness(
            new ScriptedGenerator(id -> List.of("a" + id, "b" + id, "A: " + id)),
            new ScriptedScorer(s -> FIRST_STEP.getOrDefault(s, s.startsWith("A:") ? 0.6 : 0.5)));

    @Test
    void cancelsTheLowestFractionAtTheFirstStep() {
        SearchResult r = h.run("weighted_best_of_n", Map.of("n", "4"), MethodSpec.of("prune",
                Map.of("fraction", "0.5", "floor", "1", "rounds", "1")));
        assertThat(h.prunedBy("prune")).containsExactly(4L, 2L);
        assertThat(h.decisions("prune")).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo("prune");
            assertThat(d.branchIds()).containsExactly(4L, 2L);
            assertThat(d.values()).containsEntry("pruned", 2.0).containsEntry("branches", 4.0)
                    .containsEntry("fraction", 0.5);
            assertThat(d.values().get("cutoff_score")).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-6));
        });
        // whole samples go step by step so the policy sees every step: after the cut only 1 and 3 go on
        assertThat(h.generator.last().extendIds()).containsExactly(List.of(1L, 2L, 3L, 4L), List.of(1L, 3L), List.of(1L, 3L));
        assertThat(r.answers()).extracting(a -> a.answer()).containsExactlyInAnyOrder("1", "3");
        // 4 first steps scored for pruning, then the 2 finished solutions for the answer (all their steps)
        assertThat(r.spend().verifierCalls()).isEqualTo(6);
    }

    @Test
    void neverGoesBelowTheFloorAndHonoursTheThreshold() {
        h.run("weighted_best_of_n", Map.of("n", "4"), MethodSpec.of("prune",
                Map.of("fraction", "0", "threshold", "0.85", "floor", "2")));
        // below 0.85: branches 4, 2, 3 (lowest first); the floor of 2 keeps all but two of four
        assertThat(h.prunedBy("prune")).containsExactly(4L, 2L);
        assertThat(h.events.of(SearchEvent.BranchPruned.class)).allMatch(p -> p.reason().contains("cutoff 0.200"));
    }
}
