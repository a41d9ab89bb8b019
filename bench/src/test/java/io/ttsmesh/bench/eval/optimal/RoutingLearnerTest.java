package io.ttsmesh.bench.eval.optimal;

import io.ttsmesh.bench.eval.config.ConfigFile;
import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.bench.eval.results.QuestionResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutingLearnerTest {

    private static final List<RunConfig> RUNS = ConfigFile.parse("""
            { "runs": [ { "name": "cheap", "strategy": { "name": "self_consistency", "params": { "n": 1 } } },
                        { "name": "mid", "strategy": { "name": "self_consistency", "params": { "n": 4 } } },
                        { "name": "dear", "strategy": { "name": "beam_search", "params": { "n": 16, "width": 4 } } } ] }
            """, "t", null).runs();

    /** 10 training questions per cell: arithmetic 2 and 3, countdown 3. */
    private static List<Question> training() {
        List<Question> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            out.add(new Question("a2-" + i, "arithmetic", "1+1", "2", 2));
            out.add(new Question("a3-" + i, "arithmetic", "1+1+1", "3", 3));
            out.add(new Question("c3-" + i, "countdown", "1 2 3 -> 10", null, 3));
        }
        return out;
    }

    /** A run's results: per cell, how many of its 10 questions are right and the tokens each costs. */
    private static RoutingLearner.Candidate candidate(RunConfig run, Map<String, int[]> cells) {
        List<QuestionResult> out = new ArrayList<>();
        for (Question q : training()) {
            String cell = q.id().substring(0, 2);
            int[] v = cells.get(cell);
            int index = Integer.parseInt(q.id().substring(3));
            boolean correct = index < v[0];
            out.add(new QuestionResult(run.name(), "f", q.id(), q.task(), q.difficulty(), q.answer(), null, correct, null,
                    v[1], 0, 0, 1, 1, 1, "COMPLETED", "", null, 1, null, null, null, null, "m", "t"));
        }
        return new RoutingLearner.Candidate(run, out);
    }

    private static List<RoutingLearner.Candidate> candidates() {
        return List.of(
                candidate(RUNS.get(0), Map.of("a2", new int[] {9, 20}, "a3", new int[] {5, 30}, "c3", new int[] {1, 40})),
                candidate(RUNS.get(1), Map.of("a2", new int[] {9, 80}, "a3", new int[] {8, 120}, "c3", new int[] {2, 160})),
                candidate(RUNS.get(2), Map.of("a2", new int[] {9, 300}, "a3", new int[] {8, 400}, "c3", new int[] {8, 600})));
    }

    @Test
    void spendsTheBudgetWhereItBuysTheMostAccuracy() {
        RoutingLearner.Table t = new RoutingLearner().learn(candidates(), training(),
                Map.of("arithmetic", 0.5, "countdown", 0.5), List.of(35L, 100L, 400L));
        // weights: arithmetic cells 0.25 each, countdown 0.5
        RoutingLearner.Row small = t.rows().get(0);
        assertThat(small.choices()).extracting(RoutingLearner.Choice::run).containsExactly("cheap", "cheap", "cheap");
        assertThat(small.expectedTokens()).isEqualTo(0.25 * 20 + 0.25 * 30 + 0.5 * 40);
        RoutingLearner.Row mid = t.rows().get(1);
        // 100 tokens: arithmetic 3 gets n = 4 (+3 right for 90 more tokens: 22.5 weighted), the rest stays cheap
        assertThat(mid.choices()).extracting(RoutingLearner.Choice::run).containsExactly("cheap", "mid", "cheap");
        assertThat(mid.expectedTokens()).isLessThanOrEqualTo(100);
        RoutingLearner.Row large = t.rows().get(2);
        // 400 tokens: Countdown's jump from 1 to 8 right with the beam is worth it; arithmetic 2 never needs more
        assertThat(large.choices()).extracting(RoutingLearner.Choice::run).containsExactly("cheap", "mid", "dear");
        assertThat(large.expectedAccuracy()).isEqualTo(0.25 * 0.9 + 0.25 * 0.8 + 0.5 * 0.8);
        assertThat(t.rows()).allSatisfy(r -> assertThat(r.fits()).isTrue());
    }

    @Test
    void aQuestionIsRoutedByItsTaskAndDifficultyAndAnUnseenDifficultyByTheNearestOne() {
        RoutingLearner.Table t = new RoutingLearner().learn(candidates(), training(),
                Map.of("arithmetic", 0.5, "countdown", 0.5), List.of(400L));
        assertThat(t.route(400, new Question("x", "arithmetic", "1+1", "2", 2)).name()).isEqualTo("cheap");
        assertThat(t.route(400, new Question("y", "countdown", "1 2 3 -> 10", null, 3)).name()).isEqualTo("dear");
        assertThat(t.route(400, new Question("z", "arithmetic", "1+1+1+1+1", "5", 5)).name()).isEqualTo("mid");
        assertThat(t.route(400, new Question("w", "countdown", "1 2 3 4 5 -> 10", null, 5)).name()).isEqualTo("dear");
        assertThatThrownBy(() -> t.route(401, new Question("x", "arithmetic", "1+1", "2", 2))).hasMessageContaining("401");
    }

    @Test
    void whenNothingFitsTheCheapestRunsAreNamedAndSaidSo() {
        RoutingLearner.Table t = new RoutingLearner().learn(candidates(), training(),
                Map.of("arithmetic", 0.5, "countdown", 0.5), List.of(10L));
        assertThat(t.rows().get(0).fits()).isFalse();
        assertThat(t.rows().get(0).choices()).extracting(RoutingLearner.Choice::run).containsOnly("cheap");
    }

    /** The dynamic programme finds the best allocation that enumerating every one finds (up to its rounding). */
    @Test
    void agreesWithEnumeratingEveryAllocation() {
        SplittableRandom random = new SplittableRandom(7);
        for (int trial = 0; trial < 200; trial++) {
            int cells = 2 + random.nextInt(3);
            int options = 2 + random.nextInt(3);
            double[] weights = new double[cells];
            List<List<RoutingLearner.Choice>> opts = new ArrayList<>();
            for (int c = 0; c < cells; c++) {
                weights[c] = 0.1 + random.nextDouble();
                List<RoutingLearner.Choice> list = new ArrayList<>();
                for (int o = 0; o < options; o++) {
                    list.add(new RoutingLearner.Choice(new RoutingLearner.Cell("t", "" + c), weights[c], 10, "r" + o,
                            random.nextDouble(), 10 + random.nextInt(500)));
                }
                opts.add(list);
            }
            long budget = 50 + random.nextInt(800);
            RoutingLearner.Row row = RoutingLearner.allocate(budget, weights, opts);
            double slack = cells * (double) budget / RoutingLearner.STEPS;
            double bestWithin = Double.NEGATIVE_INFINITY;
            double bestWithinSlack = Double.NEGATIVE_INFINITY;
            int[] pick = new int[cells];
            for (int code = 0; code < Math.pow(options, cells); code++) {
                int x = code;
                double value = 0;
                double cost = 0;
                for (int c = 0; c < cells; c++) {
                    pick[c] = x % options;
                    x /= options;
                    value += weights[c] * opts.get(c).get(pick[c]).accuracy();
                    cost += weights[c] * opts.get(c).get(pick[c]).meanTokens();
                }
                if (cost <= budget) {
                    bestWithin = Math.max(bestWithin, value);
                }
                if (cost <= budget - slack) {
                    bestWithinSlack = Math.max(bestWithinSlack, value);
                }
            }
            if (bestWithin == Double.NEGATIVE_INFINITY) {
                assertThat(row.fits()).isFalse();
                continue;
            }
            if (row.fits()) {
                assertThat(row.expectedTokens()).isLessThanOrEqualTo(budget + 1e-9);
                assertThat(row.expectedAccuracy()).isLessThanOrEqualTo(bestWithin + 1e-9);
                if (bestWithinSlack > Double.NEGATIVE_INFINITY) {
                    assertThat(row.expectedAccuracy()).isGreaterThanOrEqualTo(bestWithinSlack - 1e-9);
                }
            } else {
                assertThat(bestWithinSlack).isEqualTo(Double.NEGATIVE_INFINITY);
            }
        }
    }
}
