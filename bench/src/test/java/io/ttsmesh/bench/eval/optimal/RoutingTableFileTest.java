package io.ttsmesh.bench.eval.optimal;

import io.ttsmesh.bench.eval.config.ConfigFile;
import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.settings.RoutingTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutingTableFileTest {

    private static final List<RunConfig> RUNS = ConfigFile.parse("""
            { "runs": [ { "name": "cheap", "strategy": { "name": "self_consistency", "params": { "n": 1 } } },
                        { "name": "checked", "strategy": { "name": "best_of_n", "params": { "n": 4 } },
                          "verifier": "rules+prm", "aggregation": "min" } ] }
            """, "t", null).runs();

    private static List<Question> training() {
        List<Question> out = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            out.add(new Question("a2-" + i, "arithmetic", "1+2*3", "7", 2));
            out.add(new Question("c3-" + i, "countdown", "1 2 3 -> 10", null, 3));
            out.add(new Question("c4-" + i, "countdown", "1 2 3 4 -> 10", null, 4));
        }
        return out;
    }

    /** Per cell: right answers of 10 and tokens per question. */
    private static RoutingLearner.Candidate candidate(RunConfig run, Map<String, int[]> cells) {
        List<QuestionResult> out = new ArrayList<>();
        for (Question q : training()) {
            int[] v = cells.get(q.id().substring(0, 2));
            boolean correct = Integer.parseInt(q.id().substring(3)) < v[0];
            out.add(new QuestionResult(run.name(), "f", q.id(), q.task(), q.difficulty(), q.answer(), null, correct, null,
                    v[1], 0, 0, 1, 1, 1, "COMPLETED", "", null, 1, null, null, null, null, "m", "t"));
        }
        return new RoutingLearner.Candidate(run, out);
    }

    static RoutingLearner.Table learned() {
        return new RoutingLearner().learn(List.of(
                        candidate(RUNS.get(0), Map.of("a2", new int[] {9, 20}, "c3", new int[] {5, 30}, "c4", new int[] {1, 40})),
                        candidate(RUNS.get(1), Map.of("a2", new int[] {9, 60}, "c3", new int[] {5, 90}, "c4", new int[] {8, 120}))),
                training(), Map.of("arithmetic", 0.5, "countdown", 0.5), List.of(30L, 1000L));
    }

    @Test
    void everyCellOfEveryRowBecomesARouteWithItsRunsStrategyVerifierAndTrainingNumbers(@TempDir Path dir) {
        RoutingLearner.Table t = learned();
        RoutingTable served = RoutingTableFile.of(t, "tasks-test", "unit test", List.of());
        assertThat(served.budgets()).extracting(RoutingTable.Row::meanTokens).containsExactly(30L, 1000L);
        RoutingTable.Row large = served.row(1000);
        RoutingTable.Route four = large.route("countdown", 4).orElseThrow();
        assertThat(four.strategy()).isEqualTo(MethodSpec.of("best_of_n", Map.of("n", "4")));
        assertThat(four.verifier()).isEqualTo("rules+prm");
        assertThat(four.aggregation()).isEqualTo("min");
        assertThat(four.run()).isEqualTo("checked");
        assertThat(four.questions()).isEqualTo(10);
        assertThat(four.accuracy()).isEqualTo(0.8);
        assertThat(four.meanTokens()).isEqualTo(120.0);
        RoutingTable.Route two = large.route("arithmetic", 2).orElseThrow();
        assertThat(two.run()).isEqualTo("cheap");
        assertThat(two.verifier()).isNull();
        assertThat(large.expectedAccuracy()).isEqualTo(t.rows().get(1).expectedAccuracy(), org.assertj.core.data.Offset.offset(1e-4));
        // each route is the learner's
        for (RoutingLearner.Row row : t.rows()) {
            for (RoutingLearner.Choice c : row.choices()) {
                assertThat(served.row(row.budget()).route(c.cell().task(), Integer.parseInt(c.cell().difficulty()))
                        .orElseThrow().run()).isEqualTo(c.run());
            }
        }
        Path file = dir.resolve("routing/t.json");
        RoutingTableFile.write(served, file);
        assertThat(RoutingTable.read(file)).isEqualTo(served);
    }

    @Test
    void aDifficultyWithoutTrainingQuestionsGetsTheLearnersNearestRoute() {
        RoutingLearner.Table t = learned();
        Question five = new Question("x", "countdown", "1 2 3 4 5 -> 10", null, 5);
        RoutingTable served = RoutingTableFile.of(t, "tasks-test", null, List.of(five, five));
        RoutingTable.Route route = served.row(1000).route("countdown", 5).orElseThrow();
        assertThat(route.run()).isEqualTo(t.route(1000, five).name()).isEqualTo("checked");
        assertThat(route.questions()).isNull();
        assertThat(served.row(1000).routes()).hasSize(4);
    }

    @Test
    void aRunWithPoliciesCannotBeARoute() {
        RunConfig pruned = ConfigFile.parse("""
                { "runs": [ { "name": "pruned", "strategy": { "name": "best_of_n" }, "policies": [ { "name": "prune" } ] } ] }
                """, "t", null).runs().getFirst();
        RoutingLearner.Table t = new RoutingLearner().learn(List.of(candidate(pruned, Map.of("a2", new int[] {9, 20},
                "c3", new int[] {5, 30}, "c4", new int[] {1, 40}))), training(), Map.of("arithmetic", 1.0, "countdown", 1.0),
                List.of(100L));
        assertThatThrownBy(() -> RoutingTableFile.of(t, "x", null, List.of())).hasMessageContaining("run 'pruned' has policies");
    }
}
