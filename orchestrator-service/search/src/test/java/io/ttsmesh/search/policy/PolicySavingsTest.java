package io.ttsmesh.search.policy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.run.SearchRunner;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.sim.Arithmetic;
import io.ttsmesh.search.sim.Requests;
import io.ttsmesh.search.sim.SimulatedGenerator;
import io.ttsmesh.search.sim.SimulatedPrm;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policies do save compute on the simulator, end to end through the runner. (The measured savings on the
 * bundled models are the evaluation harness's business; this only shows the mechanisms work together.)
 */
class PolicySavingsTest {

    private final SearchRunner runner = new SearchRunner(new SimulatedGenerator(0.15), SimulatedPrm.standard(),
            SearchSettings.defaults());

    record Outcome(double accuracy, double tokens) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "accuracy %.2f, %.0f tokens", accuracy, tokens);
        }
    }

    private Outcome measure(String strategy, MethodSpec... policies) {
        int right = 0;
        long tokens = 0;
        int runs = 0;
        for (String q : Requests.QUESTIONS) {
            for (long seed = 1; seed <= 3; seed++) {
                SearchResult r = runner.run(Requests.of(q, strategy, Map.of("n", "16"), Requests.generous(), seed, policies),
                        e -> { });
                runs++;
                tokens += r.spend().generatedTokens();
                if (Long.toString(Arithmetic.answer(q)).equals(r.answer())) {
                    right++;
                }
            }
        }
        return new Outcome((double) right / runs, (double) tokens / runs);
    }

    @Test
    void earlyExitsAndPruningSpendLessForAboutTheSameAccuracy() {
        Outcome sc = measure("self_consistency");
        Outcome consensus = measure("self_consistency", MethodSpec.of("consensus"));
        Outcome adaptive = measure("self_consistency", MethodSpec.of("adaptive_consistency"));
        Outcome deepconf = measure("self_consistency", MethodSpec.of("deepconf"));
        Outcome weighted = measure("weighted_best_of_n");
        Outcome pruned = measure("weighted_best_of_n", MethodSpec.of("prune"));
        System.out.printf("self-consistency@16: %s; + consensus: %s; + adaptive consistency: %s; + deepconf: %s%n"
                + "weighted best-of-16: %s; + prune: %s%n", sc, consensus, adaptive, deepconf, weighted, pruned);

        assertThat(consensus.tokens()).isLessThan(0.7 * sc.tokens());
        assertThat(consensus.accuracy()).isGreaterThanOrEqualTo(sc.accuracy() - 0.1);
        assertThat(adaptive.tokens()).isLessThan(0.7 * sc.tokens());
        assertThat(adaptive.accuracy()).isGreaterThanOrEqualTo(sc.accuracy() - 0.1);
        assertThat(deepconf.tokens()).isLessThan(sc.tokens());
        assertThat(pruned.tokens()).isLessThan(0.75 * weighted.tokens());
        assertThat(pruned.accuracy()).isGreaterThanOrEqualTo(weighted.accuracy() - 0.1);
    }
}
