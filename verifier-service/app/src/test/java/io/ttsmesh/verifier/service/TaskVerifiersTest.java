package io.ttsmesh.verifier.service;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.proto.verifier.Candidate;
import io.ttsmesh.proto.verifier.CandidateScores;
import io.ttsmesh.proto.verifier.ScoreRequest;
import io.ttsmesh.proto.verifier.ScoreResponse;
import io.ttsmesh.proto.verifier.VerifierGrpc;
import io.ttsmesh.verifier.CountdownFixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Tasks, rules, oracle and stacks over real gRPC on loopback, on an arithmetic pod with the bundled PRM. */
@QuarkusTest
class TaskVerifiersTest {

    @GrpcClient("self")
    VerifierGrpc.VerifierBlockingStub verifier;

    private ScoreResponse score(String verifierName, String task, String question, Candidate.Builder... candidates) {
        ScoreRequest.Builder r = ScoreRequest.newBuilder().setRequestId("t").setVerifier(verifierName).setTask(task)
                .setQuestion(question);
        for (Candidate.Builder c : candidates) {
            r.addCandidates(c);
        }
        return verifier.scoreSteps(r.build());
    }

    private static Candidate.Builder steps(String id, List<String> steps) {
        return Candidate.newBuilder().setId(id).addAllSteps(steps);
    }

    private static List<Float> list(float[] scores) {
        List<Float> out = new java.util.ArrayList<>();
        for (float s : scores) {
            out.add(s);
        }
        return out;
    }

    @Test
    void rulesCheckEachLineAndTheOracleKnowsTheArithmeticQuestion() {
        List<String> right = List.of("17+25=42", "42*3=126", "126-14=112", "A: 112");
        List<String> slip = List.of("17+25=42", "42*3=125", "125-14=111", "A: 111");
        // true arithmetic, wrong operands: the rules cannot tell, the oracle can
        List<String> wrongOperands = List.of("17+25=42", "42-14=28", "28*3=84", "A: 84");
        for (String task : List.of("", "arithmetic")) {
            ScoreResponse rules = score("rules", task, "(17+25)*3-14", steps("right", right), steps("slip", slip),
                    steps("operands", wrongOperands));
            assertThat(rules.getResults(0).getStepScoresList()).containsExactly(1f, 1f, 1f, 1f);
            assertThat(rules.getResults(1).getStepScoresList()).containsExactly(1f, 0f, 0f, 0f);
            assertThat(rules.getResults(2).getStepScoresList()).containsExactly(1f, 1f, 1f, 1f);
            for (String oracleName : List.of("oracle", "exact")) {
                ScoreResponse oracle = score(oracleName, task, "(17+25)*3-14", steps("right", right),
                        steps("operands", wrongOperands));
                assertThat(oracle.getResults(0).getStepScoresList()).containsExactly(1f, 1f, 1f, 1f);
                assertThat(oracle.getResults(1).getStepScoresList()).containsExactly(1f, 0f, 0f, 0f);
            }
        }
    }

    @Test
    void onCountdownRulesAndOracleGiveTheContractsLabels() {
        int cases = 0;
        for (CountdownFixtures.Case c : CountdownFixtures.read()) {
            ScoreResponse rules = score("rules", "countdown", c.question(), steps("all", c.steps()),
                    steps("newest", c.steps()).setLastStepOnly(true));
            List<Float> ruleScores = list(CountdownFixtures.scores(c.ruleLabels()));
            assertThat(rules.getResults(0).getStepScoresList()).as("rules, " + c.name()).isEqualTo(ruleScores);
            assertThat(rules.getResults(1).getStepScoresList()).as("rules newest, " + c.name())
                    .containsExactly(ruleScores.getLast());
            List<Float> oracleScores = list(CountdownFixtures.scores(c.oracleLabels()));
            for (String oracleName : List.of("oracle", "exact")) {
                ScoreResponse oracle = score(oracleName, "countdown", c.question(), steps("all", c.steps()));
                assertThat(oracle.getResults(0).getStepScoresList()).as(oracleName + ", " + c.name())
                        .isEqualTo(oracleScores);
            }
            cases++;
        }
        assertThat(cases).isGreaterThan(30);
    }

    @Test
    void rulesPlusPrmScoresARejectedStepZeroAndTheOthersAsThePrm() throws Exception {
        double skippedBefore = metric("tts_verifier_stack_skipped_candidates_total\\{member=\"prm\"}");
        int rejected = 0;
        int newestRejected = 0;
        for (ConcurrentScoring.Item item : ConcurrentScoring.items(4)) {
            ScoreResponse rules = score("rules", "", item.question(), steps("x", item.steps()));
            ScoreResponse stack = score("rules+prm", "", item.question(), steps("x", item.steps()),
                    steps("newest", item.steps()).setLastStepOnly(true));
            List<Float> r = rules.getResults(0).getStepScoresList();
            CandidateScores all = stack.getResults(0);
            assertThat(all.getErrorCode()).isZero();
            assertThat(all.getStepScoresCount()).isEqualTo(item.steps().size());
            boolean open = true;
            for (int j = 0; j < r.size(); j++) {
                open &= r.get(j) == 1f;
                if (open) {
                    assertThat(all.getStepScores(j)).isCloseTo(item.expected()[j], within(1e-5f));
                } else {
                    assertThat(all.getStepScores(j)).isZero();
                }
            }
            rejected += open ? 0 : 1;
            float newest = stack.getResults(1).getStepScores(0);
            if (r.getLast() == 1f) {
                assertThat(newest).isCloseTo(item.expected()[item.steps().size() - 1], within(1e-5f));
            } else {
                assertThat(newest).isZero();
                newestRejected++;
            }
        }
        assertThat(rejected).isPositive();
        assertThat(metric("tts_verifier_stack_skipped_candidates_total\\{member=\"prm\"}") - skippedBefore)
                .as("candidates the PRM was not asked about").isGreaterThanOrEqualTo(newestRejected);
        assertThat(newestRejected).isPositive();
    }

    @Test
    void theModelVerifiersRefuseAnotherTaskAndUnknownTasksAreNamed() {
        Candidate.Builder c = steps("c", List.of("2*3=6; 10 6", "6+10=16; 16", "A: 16"));
        for (String v : List.of("prm", "orm", "confidence", "rules+prm")) {
            assertStatus(() -> score(v, "countdown", "3 10 2 -> 16", c), "task: this pod's models serve task "
                    + "'arithmetic'", "cannot score task 'countdown'");
        }
        assertStatus(() -> score("rules", "chess", "e4", c), "task: unknown task 'chess' (known: arithmetic, countdown, math)");
        assertStatus(() -> score("rules", "countdown", "3 10 2 -> 150", c), "question.target");
        assertStatus(() -> score("prm", "", "What is 2+2?", c), "question");
        assertStatus(() -> score("rules+nope", "", "1+2", c), "verifier 'rules+nope': member 'nope' is unknown");
    }

    private static void assertStatus(Runnable call, String... message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains(message);
        });
    }

    private static double metric(String pattern) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^" + pattern + "\\s+([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
