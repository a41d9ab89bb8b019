package io.ttsmesh.verifier.exact;

import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.Task;
import io.ttsmesh.task.TaskRegistry;
import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.verifier.CountdownFixtures;
import io.ttsmesh.task.math.MathTask;
import io.ttsmesh.verifier.HeldoutSamples;
import io.ttsmesh.verifier.Limits;
import io.ttsmesh.verifier.StatusCode;
import io.ttsmesh.verifier.TaskQuestion;
import io.ttsmesh.verifier.VerifierException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExactVerifierTest {

    private static final TaskRegistry TASKS = TaskRegistry.load();
    private static final Task ARITHMETIC = TASKS.get("arithmetic");
    private static final Limits LIMITS = new Limits(64, 16);

    private final ExactVerifier oracle = ExactVerifier.oracle(TASKS, LIMITS);
    private final ExactVerifier exact = ExactVerifier.exact(TASKS, LIMITS);
    private final ExactVerifier rules = ExactVerifier.rules(TASKS, LIMITS);

    private static List<CandidateResult> score(ExactVerifier v, String question, CandidateInput... candidates) {
        return v.score(TaskQuestion.of(ARITHMETIC, question), List.of(candidates), Instant.MAX).join();
    }

    @Test
    void scoresOneWhileEveryStepSoFarIsRightAndZeroFromTheFirstMistakeOn() {
        for (ExactVerifier v : List.of(oracle, exact, rules)) {
            List<CandidateResult> r = score(v, "(17+25)*3-14",
                    CandidateInput.allSteps("right", List.of("17+25=42", "42*3=126", "126-14=112", "A: 112")),
                    CandidateInput.allSteps("slip", List.of("17+25=42", "42*3=125", "125-14=111", "A: 111")),
                    CandidateInput.newestStep("newest", List.of("17+25=42", "42*3=126")),
                    CandidateInput.newestStep("wrong-newest", List.of("17+25=42", "42*3=125")));
            assertThat(r.get(0).scores()).as(v.name()).containsExactly(1f, 1f, 1f, 1f);
            assertThat(r.get(1).scores()).as(v.name()).containsExactly(1f, 0f, 0f, 0f);
            assertThat(r.get(2).scores()).as(v.name()).containsExactly(1f);
            assertThat(r.get(3).scores()).as(v.name()).containsExactly(0f);
        }
    }

    @Test
    void agreesWithTheStepLabelsOfTheTrainingScript() {
        int compared = 0;
        for (HeldoutSamples.Question q : HeldoutSamples.read(20).questions()) {
            List<CandidateInput> in = new ArrayList<>();
            List<HeldoutSamples.Sample> used = new ArrayList<>();
            for (HeldoutSamples.Sample s : q.samples()) {
                if (!s.steps().isEmpty()) {
                    in.add(CandidateInput.allSteps("s" + in.size(), s.steps()));
                    used.add(s);
                }
            }
            List<CandidateResult> r = oracle.score(TaskQuestion.of(ARITHMETIC, q.question()), in, Instant.MAX).join();
            for (int i = 0; i < used.size(); i++) {
                List<Boolean> labels = used.get(i).labels();
                for (int j = 0; j < labels.size(); j++) {
                    assertThat(r.get(i).scores()[j]).as(q.question() + " " + used.get(i).steps())
                            .isEqualTo(labels.get(j) ? 1f : 0f);
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(500);
    }

    @Test
    void onCountdownRulesAndOracleGiveTheContractsLabels() {
        Task countdown = TASKS.get("countdown");
        int compared = 0;
        int disagreements = 0;
        for (CountdownFixtures.Case c : CountdownFixtures.read()) {
            TaskQuestion question = TaskQuestion.of(countdown, c.question());
            List<CandidateInput> in = List.of(CandidateInput.allSteps("all", c.steps()),
                    CandidateInput.newestStep("newest", c.steps()));
            List<CandidateResult> byRules = rules.score(question, in, Instant.MAX).join();
            List<CandidateResult> byOracle = oracle.score(question, in, Instant.MAX).join();
            List<CandidateResult> byExact = exact.score(question, in, Instant.MAX).join();
            float[] ruleScores = CountdownFixtures.scores(c.ruleLabels());
            float[] oracleScores = CountdownFixtures.scores(c.oracleLabels());
            assertThat(byRules.get(0).scores()).as("rules, " + c.name()).containsExactly(ruleScores);
            assertThat(byRules.get(1).scores()).as("rules newest, " + c.name())
                    .containsExactly(ruleScores[ruleScores.length - 1]);
            assertThat(byOracle.get(0).scores()).as("oracle, " + c.name()).containsExactly(oracleScores);
            assertThat(byOracle.get(1).scores()).as("oracle newest, " + c.name())
                    .containsExactly(oracleScores[oracleScores.length - 1]);
            assertThat(byExact.get(0).scores()).as("exact = oracle, " + c.name()).containsExactly(oracleScores);
            compared += ruleScores.length;
            if (!c.ruleLabels().equals(c.oracleLabels())) {
                disagreements++;
            }
        }
        assertThat(compared).isGreaterThan(80);
        assertThat(disagreements).as("cases where the oracle sees a dead end the rules cannot").isPositive();
        assertThat(oracle.info().tasks()).contains("arithmetic", "countdown");
    }

    @Test
    void aQuestionThatIsNoArithmeticIsRefusedNamingTheField() {
        assertThatThrownBy(() -> TaskQuestion.of(ARITHMETIC, "What is the capital of France?"))
                .isInstanceOfSatisfying(InvalidQuestion.class, e -> assertThat(e.field()).startsWith("question"));
        CandidateResult empty = score(oracle, "1+2", CandidateInput.allSteps("e", List.of())).getFirst();
        assertThat(empty.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
        assertThat(empty.error()).contains("candidates[0]", "steps is empty");
        CandidateResult many = score(rules, "1+2", CandidateInput.allSteps("m", List.of(
                "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17"))).getFirst();
        assertThat(many.error()).contains("candidates[0]", "17 steps, at most 16");
    }

    @Test
    void describesTheOracleAsOneForUpperBoundsAndListsTheTasksWithLabels() {
        assertThat(oracle.info().description()).contains("oracle", "upper bounds");
        assertThat(exact.info().description()).startsWith("old name of oracle");
        assertThat(rules.info().tasks()).contains("arithmetic");
        assertThat(oracle.info().tasks()).contains("arithmetic");
        assertThat(rules.info().model()).isEmpty();
    }

    @Test
    void aTaskWithoutLabelsIsRefusedNamingTheTask() {
        Task plain = new MathTask();
        ExactVerifier onlyPlain = ExactVerifier.rules(new TaskRegistry(List.of(plain)), LIMITS);
        assertThatThrownBy(() -> onlyPlain.checkTask(plain))
                .isInstanceOfSatisfying(VerifierException.class, e -> {
                    assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).startsWith("task: ").contains("'math' has no rule checker");
                });
        rules.checkTask(ARITHMETIC);
    }
}
