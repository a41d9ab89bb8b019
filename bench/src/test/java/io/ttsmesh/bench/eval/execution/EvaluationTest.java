package io.ttsmesh.bench.eval.execution;

import io.ttsmesh.bench.eval.config.ConfigFile;
import io.ttsmesh.bench.eval.config.EvalConfig;
import io.ttsmesh.bench.eval.config.InvalidConfig;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.bench.eval.results.ResultLog;
import io.ttsmesh.testbed.ExpressionTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvaluationTest {

    @TempDir
    Path dir;

    private static final EvalConfig CONFIG = ConfigFile.parse("""
            { "runs": [ { "name": "sc", "strategy": { "name": "self_consistency" }, "sweep": { "n": [1, 4] } },
                        { "name": "other", "strategy": { "name": "self_consistency" }, "seed_key": "other" } ] }
            """, "test", null);

    /** Answers right when the expression's value is even, wrong otherwise. */
    private static String answer(String question) {
        long v = ExpressionTree.parse(question).evaluate();
        return v % 2 == 0 ? Long.toString(v) : Long.toString(v + 1);
    }

    private static List<Question> questions(int n) {
        List<Question> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String q = (i + 1) + "+" + (i * 3) + "*2";
            out.add(new Question("q" + i, q, Long.toString(ExpressionTree.parse(q).evaluate()), 2));
        }
        return out;
    }

    private List<QuestionResult> evaluate(CountingBackend backend, List<Question> qs, EvalConfig config, int concurrency)
            throws Exception {
        try (ResultLog log = ResultLog.open(dir.resolve("results.jsonl"))) {
            return new Evaluation(backend, new Evaluation.Settings(42, concurrency, 3, false)).run("test", qs, config, log);
        }
    }

    @Test
    void gradesEverySearchAndARerunSkipsWhatIsDone() throws Exception {
        CountingBackend first = new CountingBackend(EvaluationTest::answer, "models-a");
        List<QuestionResult> results = evaluate(first, questions(6), CONFIG, 4);
        assertThat(first.requests).hasSize(18);
        assertThat(results).hasSize(18);
        for (QuestionResult r : results) {
            long value = Long.parseLong(r.expected());
            assertThat(r.correct()).isEqualTo(value % 2 == 0);
            assertThat(r.graderAnswer()).isEqualTo(r.answer());
            assertThat(r.generatedTokens()).isPositive();
            assertThat(r.backend()).isEqualTo("models-a");
        }
        assertThat(Files.readAllLines(dir.resolve("results.jsonl"))).hasSize(18);

        CountingBackend again = new CountingBackend(EvaluationTest::answer, "models-a");
        assertThat(evaluate(again, questions(6), CONFIG, 4)).hasSize(18);
        assertThat(again.requests).isEmpty();

        CountingBackend more = new CountingBackend(EvaluationTest::answer, "models-a");
        assertThat(evaluate(more, questions(8), CONFIG, 4)).hasSize(24);
        assertThat(more.requests).hasSize(6).allSatisfy(r -> assertThat(r.requestId()).matches(".*:q[67]"));
        assertThat(Files.readAllLines(dir.resolve("results.jsonl"))).hasSize(24);
    }

    @Test
    void failedSearchesAreRecordedAndTriedAgain() throws Exception {
        List<Question> qs = questions(3);
        CountingBackend flaky = new CountingBackend(EvaluationTest::answer, "m");
        flaky.failing.add(qs.get(1).question());
        List<QuestionResult> results = evaluate(flaky, qs, CONFIG, 2);
        assertThat(results.stream().filter(r -> !r.done())).hasSize(3)
                .allSatisfy(r -> assertThat(r.errorCode()).isEqualTo("UNAVAILABLE"));
        CountingBackend healthy = new CountingBackend(EvaluationTest::answer, "m");
        results = evaluate(healthy, qs, CONFIG, 2);
        assertThat(healthy.requests).hasSize(3);
        assertThat(results).hasSize(9).allSatisfy(r -> assertThat(r.done()).isTrue());
    }

    @Test
    void anInterruptedLastLineIsDroppedAndRedone() throws Exception {
        evaluate(new CountingBackend(EvaluationTest::answer, "m"), questions(2), CONFIG, 1);
        Path file = dir.resolve("results.jsonl");
        List<String> lines = Files.readAllLines(file);
        String last = lines.get(lines.size() - 1);
        Files.write(file, (String.join("\n", lines.subList(0, lines.size() - 1)) + "\n"
                + last.substring(0, last.length() / 2)).getBytes());
        CountingBackend resumed = new CountingBackend(EvaluationTest::answer, "m");
        assertThat(evaluate(resumed, questions(2), CONFIG, 1)).hasSize(6);
        assertThat(resumed.requests).hasSize(1);
        assertThat(ResultLog.read(file)).hasSize(6);
    }

    @Test
    void aDamagedLineInTheMiddleIsAnErrorNotSilentlySkipped() throws Exception {
        evaluate(new CountingBackend(EvaluationTest::answer, "m"), questions(2), CONFIG, 1);
        Path file = dir.resolve("results.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, "{not json");
        Files.write(file, lines);
        assertThatThrownBy(() -> ResultLog.open(file)).hasMessageContaining("line 3 is damaged");
    }

    @Test
    void refusesToMixResultsOfAnotherConfigurationOrModel() throws Exception {
        evaluate(new CountingBackend(EvaluationTest::answer, "m"), questions(2), CONFIG, 1);
        assertThatThrownBy(() -> evaluate(new CountingBackend(EvaluationTest::answer, "other-models"), questions(2), CONFIG, 1))
                .isInstanceOf(InvalidConfig.class).hasMessageContaining("holds results of run 'sc@1'")
                .hasMessageContaining("another configuration, base seed or models");
        EvalConfig changed = ConfigFile.parse("""
                { "runs": [ { "name": "sc", "strategy": { "name": "self_consistency" }, "sweep": { "n": [1, 4] },
                              "sampling": { "temperature": 0.5 } } ] }
                """, "test", null);
        assertThatThrownBy(() -> evaluate(new CountingBackend(EvaluationTest::answer, "m"), questions(2), changed, 1))
                .isInstanceOf(InvalidConfig.class);
    }

    @Test
    void aPipelineThatOwnsItsFileRedoesOnlyTheRunsWhoseDefinitionChanged() throws Exception {
        evaluate(new CountingBackend(EvaluationTest::answer, "m"), questions(2), CONFIG, 1);
        EvalConfig changed = ConfigFile.parse("""
                { "runs": [ { "name": "sc", "strategy": { "name": "self_consistency" }, "sweep": { "n": [1, 4] } },
                            { "name": "other", "strategy": { "name": "self_consistency" }, "seed_key": "changed" } ] }
                """, "test", null);
        CountingBackend backend = new CountingBackend(EvaluationTest::answer, "m");
        List<QuestionResult> results;
        try (ResultLog log = ResultLog.open(dir.resolve("results.jsonl"))) {
            results = new Evaluation(backend, new Evaluation.Settings(42, 2, 3, true)).run("test", questions(2), changed, log);
        }
        assertThat(backend.requests).hasSize(2).allSatisfy(r -> assertThat(r.requestId()).startsWith("other:"));
        assertThat(results).hasSize(6);
    }

    @Test
    void seedsDependOnQuestionAndSeedKeyButNotOnOrderOrConcurrency() throws Exception {
        CountingBackend serial = new CountingBackend(EvaluationTest::answer, "m");
        evaluate(serial, questions(5), CONFIG, 1);
        Files.delete(dir.resolve("results.jsonl"));
        CountingBackend parallel = new CountingBackend(EvaluationTest::answer, "m");
        evaluate(parallel, questions(5).reversed(), CONFIG, 8);
        assertThat(CountingBackend.seedsByRequest(parallel.requests)).isEqualTo(CountingBackend.seedsByRequest(serial.requests));
        var seeds = CountingBackend.seedsByRequest(serial.requests);
        assertThat(seeds.get("sc_1:q0")).isEqualTo(seeds.get("sc_4:q0")); // same seed key: common random numbers
        assertThat(seeds.get("other:q0")).isNotEqualTo(seeds.get("sc_1:q0"));
        assertThat(seeds.get("sc_1:q0")).isNotEqualTo(seeds.get("sc_1:q1"));
        assertThat(seeds.values()).allSatisfy(s -> assertThat(s).isNotNegative());
    }

    @Test
    void anInvalidRunStopsEverythingBeforeAnySearch() {
        EvalConfig bad = ConfigFile.parse("""
                { "runs": [ { "name": "ok", "strategy": { "name": "self_consistency" } },
                            { "name": "bad", "strategy": { "name": "nonsense" } } ] }
                """, "test", null);
        CountingBackend backend = new CountingBackend(EvaluationTest::answer, "m");
        assertThatThrownBy(() -> evaluate(backend, questions(2), bad, 1)).hasMessageContaining("run 'bad'");
        assertThat(backend.requests).isEmpty();
    }

    @Test
    void aBackendThatKeepsFailingEndsTheEvaluationAndKeepsWhatWasDone() throws Exception {
        CountingBackend gone = new CountingBackend(EvaluationTest::answer, "m");
        gone.unavailable = true;
        assertThatThrownBy(() -> evaluate(gone, questions(20), CONFIG, 1))
                .isInstanceOf(BackendUnavailable.class).hasMessageContaining("orchestrator gone");
        assertThat(Files.readAllLines(dir.resolve("results.jsonl"))).isEmpty();
    }

    @Test
    void requestIdsAreWhatTheOrchestratorAccepts() {
        assertThat(Evaluation.requestId("beam@16", "heldout-00001")).isEqualTo("beam_16:heldout-00001");
        String longId = Evaluation.requestId("r".repeat(80), "q".repeat(100));
        assertThat(longId).hasSize(128).matches("[A-Za-z0-9._:-]+");
        assertThat(Evaluation.requestId("r".repeat(80), "q".repeat(99) + "x")).isNotEqualTo(longId);
    }
}
