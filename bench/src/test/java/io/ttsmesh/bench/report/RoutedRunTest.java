package io.ttsmesh.bench.report;

import io.ttsmesh.bench.eval.config.ConfigFile;
import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.bench.eval.execution.Evaluation;
import io.ttsmesh.bench.eval.execution.Fingerprint;
import io.ttsmesh.bench.eval.execution.InProcessEngines;
import io.ttsmesh.bench.eval.execution.SearchBackend;
import io.ttsmesh.bench.eval.optimal.RoutingLearner;
import io.ttsmesh.bench.eval.optimal.RoutingTableFile;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.bench.eval.results.ResultLog;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.search.settings.RoutingTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The report's routed runs are served by the search module's routed strategy in-process, with the learned table
 * written in the orchestrator's format, and with the real models of both tasks: every question runs the route the
 * learner gives it, and its search is the one that route's candidate run makes (token for token).
 *
 * <p>The Countdown models are those in models/countdown (see {@code CountdownEvalTest}); without them this test fails.
 */
class RoutedRunTest {

    private static final List<RunConfig> CANDIDATES = ConfigFile.parse("""
            { "defaults": { "sampling": { "temperature": 0.8 } },
              "runs": [ { "name": "cheap", "strategy": { "name": "self_consistency", "params": { "n": 1 } } },
                        { "name": "checked", "strategy": { "name": "best_of_n", "params": { "n": 2 } }, "verifier": "rules" } ] }
            """, "t", null).runs();

    @TempDir
    Path dir;

    /** Training results that make the learner route 4-number Countdown questions to "checked", the rest to "cheap". */
    private static List<RoutingLearner.Candidate> training(List<Question> train) {
        List<QuestionResult> cheap = new ArrayList<>();
        List<QuestionResult> checked = new ArrayList<>();
        for (Question q : train) {
            boolean four = q.task().equals("countdown") && q.difficulty() == 4;
            cheap.add(result("cheap", q, !four, 20));
            checked.add(result("checked", q, true, 60));
        }
        return List.of(new RoutingLearner.Candidate(CANDIDATES.get(0), cheap),
                new RoutingLearner.Candidate(CANDIDATES.get(1), checked));
    }

    private static QuestionResult result(String run, Question q, boolean correct, long tokens) {
        return new QuestionResult(run, "f", q.id(), q.task(), q.difficulty(), q.answer(), null, correct, null, tokens, 0,
                0, 1, 1, 1, "COMPLETED", "", null, 1, null, null, null, null, "m", "t");
    }

    /** The first question of each of the given difficulties. */
    private static List<Question> firstOf(List<Question> questions, int... difficulties) {
        List<Question> out = new ArrayList<>();
        for (int d : difficulties) {
            out.add(questions.stream().filter(q -> q.difficulty() == d).findFirst().orElseThrow());
        }
        return out;
    }

    /** As CountdownEvalTest finds them: models/countdown, or the folder system property ttsmesh.countdown.models.dir names. */
    private static Path countdownModels() {
        String configured = System.getProperty("ttsmesh.countdown.models.dir");
        Path models = configured != null && !configured.isBlank() ? Path.of(configured)
                : BundledModels.root().resolve("countdown");
        assertThat(InProcessEngines.hasModels(models)).as("Countdown models in %s", models).isTrue();
        return models;
    }

    @Test
    void theServedSelectorRunsTheLearnersRouteAndTheRoutesOwnSearchForEveryQuestion() throws Exception {
        Path countdownModels = countdownModels();
        List<Question> arithmeticTrain = firstOf(QuestionFile.read(BundledModels.root().resolve("eval/train-split.jsonl")), 2, 3);
        List<Question> countdownTrain = firstOf(QuestionFile.read(countdownModels.resolve("eval/train-split.jsonl")), 3, 4);
        List<Question> train = new ArrayList<>(arithmeticTrain);
        train.addAll(countdownTrain);
        List<Question> questions = new ArrayList<>(firstOf(QuestionFile.read(BundledModels.root().resolve("eval/heldout.jsonl")), 2, 3));
        questions.addAll(firstOf(QuestionFile.read(countdownModels.resolve("eval/heldout.jsonl")), 3, 4));

        RoutingLearner.Table table = new RoutingLearner().learn(training(train), train,
                Map.of("arithmetic", 0.5, "countdown", 0.5), List.of(1000L));
        for (Question q : questions) {
            assertThat(table.route(1000, q).name()).as(q.id())
                    .isEqualTo(q.task().equals("countdown") && q.difficulty() == 4 ? "checked" : "cheap");
        }
        Path file = dir.resolve("routing-table.json");
        RoutingTable served = RoutingTableFile.of(table, TaskStudy.ROUTING_TABLE_NAME, "test", questions);
        RoutingTableFile.write(served, file);
        RunConfig routed = TaskStudy.routedRun(1000, TaskStudy.sharedSettings(CANDIDATES), file);
        assertThat(routed.strategy().name()).isEqualTo("routed");
        assertThat(routed.strategy().params()).containsEntry("mean_tokens", "1000");

        try (SearchBackend backend = InProcessEngines.backend(BundledModels.root(), countdownModels);
             ResultLog log = ResultLog.open(dir.resolve("heldout.jsonl"))) {
            Evaluation evaluation = new Evaluation(backend, new Evaluation.Settings(1, 1, 5, true));
            List<QuestionResult> servedResults = evaluation.run("routed", TaskStudy.jobs(questions, List.of(routed)), log);
            List<QuestionResult> fixed = evaluation.run("fixed", TaskStudy.jobs(questions, CANDIDATES), log);
            Map<String, List<QuestionResult>> byRun = new HashMap<>();
            fixed.forEach(r -> byRun.computeIfAbsent(r.run(), k -> new ArrayList<>()).add(r));

            assertThat(servedResults).hasSize(4).allSatisfy(r -> {
                assertThat(r.run()).isEqualTo("routed@1000");
                assertThat(r.stopReason()).isEqualTo("COMPLETED");
            });
            QuestionResult four = servedResults.stream().filter(r -> r.task().equals("countdown") && r.difficulty() == 4)
                    .findFirst().orElseThrow();
            assertThat(four.chosenStrategy()).startsWith("best_of_n ").contains("n=2").contains("verifier=rules");
            assertThat(four.verifierCalls()).isPositive();
            assertThat(servedResults.stream().filter(r -> r != four))
                    .allSatisfy(r -> assertThat(r.chosenStrategy()).startsWith("self_consistency n=1"));

            TaskStudy.CrossCheck check = TaskStudy.crossCheck(table, 1000, questions, servedResults, byRun);
            assertThat(check.questions()).isEqualTo(4);
            assertThat(check.sameRoute()).isEqualTo(4);
            // one search at a time: the served search and the route's own are the same, token for token
            assertThat(check.sameTokens()).isEqualTo(4);
            assertThat(check.sameCorrect()).isEqualTo(4);

            // the table's content is part of the routed run's fingerprint: a relearned table redoes the routed runs
            String before = Fingerprint.of(routed, 1, "m", "countdown");
            RoutingTableFile.write(RoutingTableFile.of(table, TaskStudy.ROUTING_TABLE_NAME, "relearned", questions), file);
            assertThat(Fingerprint.of(routed, 1, "m", "countdown")).isNotEqualTo(before);
        }
    }

    @Test
    void candidatesThatDifferInWhatARouteDoesNotCarryAreRefused() {
        List<RunConfig> runs = ConfigFile.parse("""
                { "runs": [ { "name": "a", "strategy": { "name": "self_consistency" } },
                            { "name": "b", "strategy": { "name": "self_consistency" }, "sampling": { "temperature": 0.2 } } ] }
                """, "t", null).runs();
        assertThatThrownBy(() -> TaskStudy.sharedSettings(runs)).hasMessageContaining("run 'b' differs from 'a'");
    }

    @Test
    void aServedChoiceRanTheRouteWhenItNamesItsStrategyGivenParametersAndVerifier() {
        RunConfig checked = CANDIDATES.get(1);
        assertThat(TaskStudy.ranRoute("best_of_n n=2 verifier=rules", checked)).isTrue();
        assertThat(TaskStudy.ranRoute("best_of_n n=2 verifier=prm", checked)).isFalse();
        assertThat(TaskStudy.ranRoute("best_of_n n=4 verifier=rules", checked)).isFalse();
        assertThat(TaskStudy.ranRoute("weighted_best_of_n n=2 verifier=rules", checked)).isFalse();
        assertThat(TaskStudy.ranRoute("self_consistency n=1 verifier=prm", CANDIDATES.get(0))).isTrue();
        assertThat(TaskStudy.ranRoute(null, checked)).isFalse();
    }
}
