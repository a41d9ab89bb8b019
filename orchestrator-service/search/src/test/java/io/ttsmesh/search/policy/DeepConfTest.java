package io.ttsmesh.search.policy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.sim.ScriptedGenerator;
import io.ttsmesh.search.sim.ScriptedScorer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class DeepConfTest {

    /** '?' lines are written with low confidence. */
    private static final Map<Long, List<String>> SCRIPTS = Map.of(
            1L, List.of("aaaa", "A: 7"),     // warm-up, confident all along
            2L, List.of("b?", "A: 7"),       // warm-up, three unsure tokens
            3L, List.of("c?c?c?", "A: 5"),   // unsure: stopped after 4 tokens
            4L, List.of("dddd", "A: 7"),
            5L, List.of("e?", "A: 9"),       // as unsure as warm-up branch 2: below the threshold
            6L, List.of("ffff", "A: 7"));

    @Test
    void warmupSetsTheThresholdAndLaterBranchesStopTheMomentTheyDropBelowIt() {
        PolicyHarness h = new PolicyHarness(new ScriptedGenerator(SCRIPTS::get), new ScriptedScorer(s -> 0.5));
        SearchResult r = h.run("self_consistency", Map.of("n", "6"),
                MethodSpec.of("deepconf", Map.of("warmup", "2", "keep", "0.5", "window", "4", "top_logprobs", "3")));

        // token confidence = -mean log p over the top 3: sure tokens (0.95, 0.025, 0.025), unsure (0.3, 0.35, 0.35)
        double sure = -(Math.log(0.95) + 2 * Math.log(0.025)) / 3;
        double unsure = -(Math.log(0.3) + 2 * Math.log(0.35)) / 3;
        double branch2 = (3 * unsure + sure) / 4; // lowest window of 4: "b", "?", "\n", "A"
        double threshold = (branch2 + sure) / 2;  // the 50% quantile of {branch2, sure}

        ScriptedGenerator.Session session = h.generator.last();
        assertThat(session.sampling().topLogprobs()).isEqualTo(3);
        assertThat(session.extendIds()).containsExactly(List.of(1L, 2L), List.of(3L, 4L, 5L, 6L));
        assertThat(session.extensions().get(0).confidenceStop()).isNull();
        Extension.ConfidenceStop stop = session.extensions().get(1).confidenceStop();
        assertThat(stop.window()).isEqualTo(4);
        assertThat((double) stop.threshold()).isCloseTo(threshold, offset(1e-5));

        assertThat(h.decisions("deepconf")).singleElement().satisfies(d -> {
            assertThat(d.action()).isEqualTo("threshold");
            assertThat(d.values().get("threshold")).isCloseTo(threshold, offset(1e-6)); // log-probabilities travel as floats
            assertThat(d.branchIds()).containsExactly(2L, 1L); // in order of finishing
        });
        // warm-up branch 2 is under the threshold too; 3 and 5 were stopped by the generator
        assertThat(h.prunedBy("deepconf")).containsExactly(2L, 3L, 5L);
        assertThat(r.answers()).extracting(a -> a.answer() + ":" + a.votes()).containsExactly("7:3");
        assertThat(r.answer()).isEqualTo("7");
        // branches 3 and 5 spent 4 tokens each instead of their whole solution
        long full = 0;
        for (long id : List.of(1L, 2L, 4L, 6L)) {
            full += String.join("\n", SCRIPTS.get(id)).length() + 1;
        }
        assertThat(r.spend().generatedTokens()).isEqualTo(full + 4 + 4);
    }
}
