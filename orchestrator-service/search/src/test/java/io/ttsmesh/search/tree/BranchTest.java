package io.ttsmesh.search.tree;

import io.ttsmesh.search.generation.StepEnd;
import io.ttsmesh.search.generation.TokenLogprob;
import io.ttsmesh.search.scoring.Aggregation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

class BranchTest {

    private static List<TokenLogprob> tokens(String text, double p) {
        List<TokenLogprob> out = new ArrayList<>();
        for (char c : text.toCharArray()) {
            out.add(new TokenLogprob(c, String.valueOf(c), (float) Math.log(p),
                    List.of(new TokenLogprob.Alternative(c, String.valueOf(c), (float) Math.log(p)),
                            new TokenLogprob.Alternative(0, "?", (float) Math.log(1 - p)))));
        }
        return out;
    }

    private static void write(Branch b, String text, StepEnd end) {
        b.apply(text, text.length(), tokens(text, 0.9), end, 0);
    }

    @Test
    void stepsAreTheTextBetweenDelimitersAndAQuotaCutStepContinues() {
        Branch b = new Branch(1, -1, "\n", Aggregation.MIN, 5);
        write(b, "1+2=3\n", StepEnd.DELIMITER);
        assertThat(b.steps()).containsExactly("1+2=3");
        assertThat(b.atStepBoundary()).isTrue();
        write(b, "3*4", StepEnd.QUOTA);
        assertThat(b.steps()).containsExactly("1+2=3", "3*4");
        assertThat(b.atStepBoundary()).isFalse();
        write(b, "=12\nA: 12", StepEnd.EOS);
        assertThat(b.steps()).containsExactly("1+2=3", "3*4=12", "A: 12");
        assertThat(b.generatedTokens()).isEqualTo(6 + 3 + 9);
    }

    @Test
    void aScoreOfAStepThatGrewIsDroppedAndAskedAgain() {
        Branch b = new Branch(1, -1, "\n", Aggregation.MIN, 5);
        write(b, "1+2=3\n", StepEnd.DELIMITER);
        b.recordScores(new float[] {0.9f});
        write(b, "3*4", StepEnd.QUOTA);
        b.recordNewestScore(0.2f);
        assertThat(b.fullyScored()).isTrue();
        assertThat(b.score()).isCloseTo(0.2, offset(1e-6));
        write(b, "=12\n", StepEnd.DELIMITER);
        // "3*4" became "3*4=12": only the first step's score still holds
        assertThat(b.scoredSteps()).isEqualTo(1);
        assertThat(b.fullyScored()).isFalse();
        assertThat(b.lastScore()).isNaN();
        assertThat(b.score()).isCloseTo(0.9, offset(1e-6));
    }

    @Test
    void aForkCopiesTheBranchAndGoesOnAlone() {
        Branch b = new Branch(1, -1, "\n", Aggregation.LAST, 5);
        write(b, "1+2=3\n", StepEnd.DELIMITER);
        b.recordScores(new float[] {0.7f});
        Branch child = b.forkAs(2);
        write(child, "3*4=12\n", StepEnd.DELIMITER);
        assertThat(child.parentId()).isEqualTo(1);
        assertThat(child.steps()).containsExactly("1+2=3", "3*4=12");
        assertThat(b.steps()).containsExactly("1+2=3");
        assertThat(child.scoredSteps()).isEqualTo(1);
    }

    @Test
    void stepLogprobsFollowTheStepsAndConfidenceIsTheLowestWindow() {
        Branch b = new Branch(1, -1, "\n", Aggregation.LAST, 5);
        b.apply("ab\ncd", 5, tokens("ab\ncd", 0.9), StepEnd.EOS, 0);
        List<List<TokenLogprob>> perStep = b.stepLogprobs();
        assertThat(perStep).hasSize(2);
        assertThat(perStep.get(0)).extracting(TokenLogprob::token).containsExactly("a", "b", "\n");
        assertThat(perStep.get(1)).extracting(TokenLogprob::token).containsExactly("c", "d");
        Branch unsure = new Branch(2, -1, "\n", Aggregation.LAST, 5);
        unsure.apply("xx", 2, tokens("xx", 0.9), StepEnd.QUOTA, 0);
        unsure.apply("yy", 2, tokens("yy", 0.5), StepEnd.QUOTA, 0);
        double sure = -(Math.log(0.9) + Math.log(0.1)) / 2;
        double half = -Math.log(0.5);
        assertThat(unsure.lowestWindowConfidence(2)).isCloseTo(half, offset(1e-6));
        assertThat(unsure.lowestWindowConfidence(4)).isCloseTo((sure + half) / 2, offset(1e-6));
        assertThat(unsure.meanConfidence()).isCloseTo((sure + half) / 2, offset(1e-6));
    }

    @Test
    void aContinuationCueRevokesTheAnswerStatedBeforeIt() {
        Branch b = new Branch(1, -1, "\n", Aggregation.LAST, 5);
        write(b, "A: 3\n", StepEnd.DELIMITER);
        b.appendForced("Wait", 1, true);
        assertThat(b.answerText()).isEmpty();
        write(b, "\nA: 4", StepEnd.EOS);
        assertThat(b.answerText()).isEqualTo("\nA: 4");
        assertThat(b.text()).isEqualTo("A: 3\nWait\nA: 4");
    }
}
