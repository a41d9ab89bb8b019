package io.ttsmesh.verifier.confidence;

import io.ttsmesh.task.TaskRegistry;
import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.verifier.Limits;
import io.ttsmesh.verifier.ModelTask;
import io.ttsmesh.verifier.StatusCode;
import io.ttsmesh.verifier.TaskQuestion;
import io.ttsmesh.verifier.TokenLogprob;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConfidenceVerifierTest {

    private final ConfidenceVerifier verifier = new ConfidenceVerifier(new Limits(8, 4), new ModelTask("arithmetic"));
    private final TaskQuestion question = TaskQuestion.of(TaskRegistry.load().get("arithmetic"), "1+2");

    private static TokenLogprob token(double... topProbabilities) {
        float[] top = new float[topProbabilities.length];
        for (int i = 0; i < top.length; i++) {
            top[i] = (float) Math.log(topProbabilities[i]);
        }
        return new TokenLogprob(top[0], top);
    }

    private CandidateResult score(CandidateInput c) {
        return verifier.score(question, List.of(c), Instant.MAX).join().getFirst();
    }

    @Test
    void oneTokenScoresOneMinusKTimesTheGeometricMeanOfItsTopK() {
        CandidateResult r = score(new CandidateInput("a", List.of("s"), false,
                List.of(List.of(token(0.9, 0.05, 0.03, 0.02)))));
        double gm = Math.pow(0.9 * 0.05 * 0.03 * 0.02, 0.25);
        assertThat(r.scores()[0]).isCloseTo((float) (1 - 4 * gm), within(1e-5f));
    }

    @Test
    void aFlatTopKScoresZeroAndASharpOneNearOne() {
        CandidateResult flat = score(new CandidateInput("f", List.of("s"), false,
                List.of(List.of(token(0.25, 0.25, 0.25, 0.25)))));
        assertThat(flat.scores()[0]).isCloseTo(0f, within(1e-5f));
        CandidateResult sharp = score(new CandidateInput("s", List.of("s"), false,
                List.of(List.of(token(0.999, 1e-4, 1e-4, 1e-4)))));
        assertThat(sharp.scores()[0]).isGreaterThan(0.99f);
    }

    @Test
    void aStepScoreIsTheLowestStepConfidenceSoFar() {
        List<TokenLogprob> sure = List.of(token(0.99, 0.005), token(0.98, 0.01));
        List<TokenLogprob> unsure = List.of(token(0.5, 0.4));
        double sureExcess = (-(Math.log(0.99) + Math.log(0.005)) / 2 - Math.log(2)
                + -(Math.log(0.98) + Math.log(0.01)) / 2 - Math.log(2)) / 2;
        double unsureExcess = -(Math.log(0.5) + Math.log(0.4)) / 2 - Math.log(2);
        CandidateResult r = score(new CandidateInput("m", List.of("a", "b", "c"), false, List.of(sure, unsure, sure)));
        float s1 = (float) (1 - Math.exp(-sureExcess));
        float s2 = (float) (1 - Math.exp(-unsureExcess));
        assertThat(r.scores()).hasSize(3);
        assertThat(r.scores()[0]).isCloseTo(s1, within(1e-5f));
        assertThat(r.scores()[1]).isCloseTo(s2, within(1e-5f));
        assertThat(r.scores()[2]).as("still the weakest step").isCloseTo(s2, within(1e-5f));
        CandidateResult last = score(new CandidateInput("m", List.of("a", "b", "c"), true, List.of(sure, unsure, sure)));
        assertThat(last.scores()).containsExactly(r.scores()[2]);
    }

    @Test
    void missingOrUnusableLogprobsRejectTheCandidateNamingTheField() {
        CandidateResult none = score(CandidateInput.allSteps("n", List.of("a", "b")));
        assertThat(none.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
        assertThat(none.error()).contains("candidates[0]", "logprobs: 0 entries for 2 steps");
        CandidateResult oneAlternative = score(new CandidateInput("o", List.of("a"), false,
                List.of(List.of(token(0.9)))));
        assertThat(oneAlternative.error()).contains("logprobs[0].tokens[0].top has 1 alternatives", "at least 2");
        CandidateResult empty = score(new CandidateInput("e", List.of("a"), false, List.of(List.of())));
        assertThat(empty.error()).contains("logprobs[0] has no tokens");
        CandidateResult positive = score(new CandidateInput("p", List.of("a"), false,
                List.of(List.of(new TokenLogprob(0f, new float[] {0.5f, -1f})))));
        assertThat(positive.error()).contains("not a log-probability");
        CandidateResult tooMany = score(new CandidateInput("t", List.of("a", "b", "c", "d", "e"), false, List.of()));
        assertThat(tooMany.error()).contains("5 steps, at most 4");
    }
}
