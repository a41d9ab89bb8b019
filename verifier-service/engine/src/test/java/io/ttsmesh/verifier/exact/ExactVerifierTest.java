package io.ttsmesh.verifier.exact;

import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.verifier.HeldoutSamples;
import io.ttsmesh.verifier.Limits;
import io.ttsmesh.verifier.StatusCode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExactVerifierTest {

    private final ExactVerifier exact = new ExactVerifier(new Limits(64, 16));

    private List<CandidateResult> score(String question, CandidateInput... candidates) {
        return exact.score(question, List.of(candidates), Instant.MAX).join();
    }

    @Test
    void scoresOneWhileEveryStepSoFarIsRightAndZeroFromTheFirstMistakeOn() {
        List<CandidateResult> r = score("(17+25)*3-14",
                CandidateInput.allSteps("right", List.of("17+25=42", "42*3=126", "126-14=112", "A: 112")),
                CandidateInput.allSteps("slip", List.of("17+25=42", "42*3=125", "125-14=111", "A: 111")),
                CandidateInput.newestStep("newest", List.of("17+25=42", "42*3=126")));
        assertThat(r.get(0).scores()).containsExactly(1f, 1f, 1f, 1f);
        assertThat(r.get(1).scores()).containsExactly(1f, 0f, 0f, 0f);
        assertThat(r.get(2).scores()).containsExactly(1f);
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
            List<CandidateResult> r = exact.score(q.question(), in, Instant.MAX).join();
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
    void aQuestionThatIsNoArithmeticRejectsEveryCandidate() {
        List<CandidateResult> r = score("What is the capital of France?",
                CandidateInput.allSteps("a", List.of("Paris")), CandidateInput.allSteps("b", List.of("Lyon")));
        assertThat(r).allSatisfy(c -> {
            assertThat(c.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
            assertThat(c.error()).contains("question", "arithmetic");
        });
        CandidateResult empty = score("1+2", CandidateInput.allSteps("e", List.of())).getFirst();
        assertThat(empty.error()).contains("candidates[0]", "steps is empty");
    }
}
