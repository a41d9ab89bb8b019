package io.ttsmesh.task.countdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ttsmesh.task.InvalidQuestion;
import java.util.List;
import org.junit.jupiter.api.Test;

class CountdownRulesTest {

    private static final String Q = "3 7 9 2 -> 24";
    private final CountdownRules rules = new CountdownRules();

    private List<Boolean> labels(String question, String... lines) {
        return rules.labels(question, List.of(lines));
    }

    @Test
    void aFullSolutionIsValidLineByLine() {
        assertThat(labels(Q, "9+7=16; 3 2 16", "16*3=48; 2 48", "48/2=24; 24", "A: 24"))
                .containsExactly(true, true, true, true);
    }

    @Test
    void wrongArithmetic() {
        assertThat(labels(Q, "9+7=17; 3 2 17")).containsExactly(false);
        assertThat(labels(Q, "9*2=17; 3 7 17")).containsExactly(false);
        assertThat(labels(Q, "9/2=4; 3 7 4")).as("division must be exact").containsExactly(false);
        assertThat(labels(Q, "9/3=3; 7 2 3")).containsExactly(true);
    }

    @Test
    void operandsMustBeAvailable() {
        assertThat(labels(Q, "8+7=15; 3 9 2 15")).containsExactly(false);
        assertThat(labels(Q, "9+9=18; 3 7 2 18")).as("one 9, used twice").containsExactly(false);
        assertThat(labels("9 9 2 -> 20", "9+9=18; 2 18")).as("two 9s are two entries").containsExactly(true);
        assertThat(labels(Q, "9+7=16; 3 2 16", "9+3=12; 2 12")).as("9 is used up").containsExactly(true, false);
        assertThat(labels(Q, "9+7=16; 3 2 16", "16-3=13; 2 13")).as("results are available")
                .containsExactly(true, true);
    }

    @Test
    void theWrittenPoolMustBeTheTrueOneAsAMultiset() {
        assertThat(labels(Q, "9+7=16; 3 2 16")).containsExactly(true);
        assertThat(labels(Q, "9+7=16; 16 3 2")).containsExactly(true);
        assertThat(labels(Q, "9+7=16; 3 2")).containsExactly(false);
        assertThat(labels(Q, "9+7=16; 3 2 16 16")).containsExactly(false);
        assertThat(labels(Q, "9+7=16; 3 3 16")).containsExactly(false);
        assertThat(labels(Q, "9+7=16; 3 7 2 16")).containsExactly(false);
        assertThat(labels(Q, "9+7=16")).as("no pool").containsExactly(false);
    }

    @Test
    void valuesStayIn1To99() {
        assertThat(labels("12 9 2 -> 24", "12*9=108; 2 108")).containsExactly(false);
        assertThat(labels("11 9 12 -> 90", "11*9=99; 12 99")).containsExactly(true);
        assertThat(labels("3 3 5 -> 15", "3-3=0; 5 0")).containsExactly(false);
        assertThat(labels("3 7 5 -> 15", "3-7=-4; 5 -4")).containsExactly(false);
        assertThat(labels("3 7 5 -> 15", "7-3=4; 5 4")).containsExactly(true);
        assertThat(labels("3 7 5 -> 15", "99999999999999999999+1=100000000000000000000; 3 7 5 1"))
                .as("absurd numbers are simply invalid").containsExactly(false);
    }

    @Test
    void theLastNumberMustBeTheTarget() {
        assertThat(labels("8 2 5 -> 20", "8/2=4; 5 4", "5+4=9; 9")).containsExactly(true, false);
        assertThat(labels("8 2 5 -> 20", "8/2=4; 5 4", "5*4=20; 20")).containsExactly(true, true);
    }

    @Test
    void answerLine() {
        String[] solved = {"8/2=4; 5 4", "5*4=20; 20"};
        assertThat(labels("8 2 5 -> 20", concat(solved, "A: 20"))).containsExactly(true, true, true);
        assertThat(labels("8 2 5 -> 20", concat(solved, "A: 21"))).containsExactly(true, true, false);
        assertThat(labels("8 2 5 -> 20", concat(solved, "A:20"))).containsExactly(true, true, false);
        assertThat(labels("8 2 5 -> 20", concat(solved, "A: 20.0"))).containsExactly(true, true, false);
        assertThat(labels("8 2 5 -> 20", concat(solved, "A: -20"))).containsExactly(true, true, false);
        assertThat(labels("8 2 5 -> 20", concat(solved, "A: 20\t\r"))).as("stripped")
                .containsExactly(true, true, true);
        assertThat(labels("8 2 5 -> 20", "8/2=4; 5 4", "A: 20")).as("two numbers left").containsExactly(true, false);
        assertThat(labels("8 2 5 -> 20", "A: 20")).containsExactly(false);
    }

    @Test
    void answerValueIsWrittenLikeTheSteps() {
        // As the Python reference reads "an integer": no sign, no leading zeros.
        assertThat(labels("8 2 5 -> 20", "8/2=4; 5 4", "5*4=20; 20", "A: 020")).containsExactly(true, true, false);
        assertThat(labels("8 2 5 -> 20", "8/2=4; 5 4", "5*4=20; 20", "A: +20")).containsExactly(true, true, false);
    }

    @Test
    void nothingIsValidAfterTheAnswerLine() {
        assertThat(labels("8 2 5 -> 20", "8/2=4; 5 4", "5*4=20; 20", "A: 20", "A: 20", "5*4=20; 20"))
                .containsExactly(true, true, true, false, false);
    }

    @Test
    void labelsAreMonotoneAndEmptyLinesInvalid() {
        assertThat(labels(Q, "", "9+7=16; 3 2 16")).containsExactly(false, false);
        assertThat(labels(Q, "9+7=17; 3 2 17", "9+7=16; 3 2 16")).containsExactly(false, false);
        assertThat(labels(Q, "  9+7=16; 3 2 16 \r")).containsExactly(true);
        assertThat(labels(Q)).isEmpty();
    }

    @Test
    void theQuestionIsValidated() {
        assertThatThrownBy(() -> labels("3 7 -> 24", "3+7=10; 10"))
                .isInstanceOfSatisfying(InvalidQuestion.class,
                        e -> assertThat(e.field()).isEqualTo("question.numbers"));
    }

    private static String[] concat(String[] head, String last) {
        String[] out = java.util.Arrays.copyOf(head, head.length + 1);
        out[head.length] = last;
        return out;
    }
}
