package io.ttsmesh.verifier;

import io.ttsmesh.runtime.BundledModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which task a call is for, and what the engine of an arithmetic pod does with it. */
class TaskRoutingTest {

    static VerifierEngine engine;

    private static final List<CandidateInput> COUNTDOWN_STEPS = List.of(CandidateInput.allSteps("c",
            List.of("2*3=6; 10 6", "6+10=16; 16", "A: 16")));

    @BeforeAll
    static void open() {
        engine = VerifierEngine.builder().modelDir(BundledModels.prm()).intraOpThreads(1).build();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static List<CandidateResult> score(String verifier, String task, String question,
                                               List<CandidateInput> candidates) {
        return engine.score(new ScoringRequest("r", verifier, question, candidates, task),
                Instant.now().plusSeconds(60)).join();
    }

    private static void assertRefused(String verifier, String task, String question, String... message) {
        assertThatThrownBy(() -> score(verifier, task, question, COUNTDOWN_STEPS))
                .as(verifier + " on " + task)
                .isInstanceOfSatisfying(VerifierException.class, e -> {
                    assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void theModelVerifiersServeThePodsTaskOnlyAndRulesAndOracleServeEveryTask() {
        assertThat(engine.task()).isEqualTo("arithmetic");
        for (String v : List.of("prm", "orm", "confidence", "rules+prm", "rules+orm", "oracle+confidence")) {
            assertRefused(v, "countdown", "3 10 2 -> 16", "task: this pod's models serve task 'arithmetic'",
                    "cannot score task 'countdown'");
        }
        for (String v : List.of("rules", "oracle", "exact", "rules+oracle")) {
            assertThat(score(v, "countdown", "3 10 2 -> 16", COUNTDOWN_STEPS).getFirst().scores())
                    .as(v).containsExactly(1f, 1f, 1f);
        }
        // no task named: arithmetic
        assertThat(score("prm", "", "1+2", List.of(CandidateInput.allSteps("a", List.of("1+2=3")))).getFirst().ok())
                .isTrue();
    }

    @Test
    void anUnknownTaskIsRefusedWithTheKnownOnes() {
        for (String v : List.of("prm", "rules")) {
            assertRefused(v, "chess", "e4", "task: unknown task 'chess' (known: arithmetic, countdown, math)");
        }
    }

    @Test
    void questionsAreCheckedAndCanonicalisedByTheirTask() {
        assertRefused("rules", "countdown", "3 10 2 -> 150", "question.target");
        assertRefused("rules", "countdown", "3 10 -> 16", "question.numbers");
        assertRefused("rules", "countdown", "three ten two", "question");
        assertRefused("prm", "arithmetic", "What is the capital of France?", "question");
        List<CandidateInput> wrongPool = List.of(CandidateInput.allSteps("w", List.of("2*3=6; 6 10", "6+10=16; 16")));
        // the JSON form of a Countdown question is the same question as its canonical text
        assertThat(score("rules", "countdown", "{\"numbers\": [3, 10, 2], \"target\": 16}", wrongPool)
                .getFirst().scores()).containsExactly(1f, 1f);
        List<CandidateInput> steps = List.of(CandidateInput.allSteps("a", List.of("17+25=42", "42*3=126")));
        assertThat(score("prm", "arithmetic", "  (17+25)*3-14 \t", steps).getFirst().scores())
                .containsExactly(score("prm", "arithmetic", "(17+25)*3-14", steps).getFirst().scores());
    }

    @Test
    void aPodMustNameARegisteredTask() {
        assertThatThrownBy(() -> VerifierEngine.builder().modelDir(BundledModels.prm()).task("chess").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("task 'chess'").hasMessageContaining("arithmetic, countdown");
    }
}
