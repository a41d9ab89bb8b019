package io.ttsmesh.task.math;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a completion's answer is read, and how writings of one answer come to one key. */
class AnswerKeyTest {

    private final MathTask task = new MathTask();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // integers
            "5 | 5", "5.0 | 5", "5.000 | 5", "005 | 5", "+5 | 5", "$5$ | 5", "$$5$$ | 5", "\\(5\\) | 5", "\\[5\\] | 5",
            "5. | 5", "` 5 ` | 5", "\\text{5} | 5", "\\textbf{5} | 5", "\\mathrm{5} | 5", "\\boxed{5} | 5", "{5} | 5",
            "x = 5 | 5", "n=5 | 5", "1,000 | 1000", "1{,}000 | 1000", "1\\,000 | 1000", "-0 | 0", "0.0 | 0",
            "−7 | -7", "-7.0 | -7", "-007 | -7", "100 | 100", "10.50 | 10.5", ".5 | 0.5", "-.25 | -0.25",
            // fractions and decimals
            "1/2 | 0.5", "\\frac{1}{2} | 0.5", "\\dfrac{1}{2} | 0.5", "\\tfrac12 | 0.5", "\\frac12 | 0.5", "0.5 | 0.5",
            "0.50 | 0.5", "2/4 | 0.5", "\\frac{2}{6} | 1/3", "1/3 | 1/3", "-\\frac{1}{3} | -1/3", "\\frac{-1}{3} | -1/3",
            "\\frac{1}{-3} | -1/3", "1 / 3 | 1/3", "\\left(\\frac{1}{3}\\right) | (\\frac{1}{3})", "6/3 | 2", "1/0 | 1/0",
            "\\frac{3}{8} | 0.375", "22/7 | 22/7",
            // units, degrees, percent
            "30^\\circ | 30", "30^{\\circ} | 30", "30° | 30", "50\\% | 50%", "50.0% | 50%", "\\text{ 12 } | 12",
            // expressions stay text, without layout
            "x^2 + 1 | x^2+1", "\\sqrt{2} | \\sqrt{2}", "\\left( 1, 2 \\right) | (1,2)", "(1, 2) | (1,2)",
            "\\text{yes} | yes", "\\pi | \\pi", "2\\sqrt{3} | 2\\sqrt{3}", "1,2 | 1,2",
    })
    void writingsOfOneAnswerShareTheirKey(String written, String key) {
        assertThat(CanonicalAnswer.of(written)).isEqualTo(key);
        assertThat(CanonicalAnswer.of(key)).as("idempotent").isEqualTo(key);
    }

    @Test
    void theLastCompleteBoxedGroupIsTheAnswer() {
        assertThat(task.answerKey("First \\boxed{3}, then on reflection the answer is \\boxed{\\frac{1}{2}}.")).isEqualTo("0.5");
        assertThat(task.answerKey("So $\\boxed{\\dfrac{10}{4}}$")).isEqualTo("2.5");
        assertThat(task.answerKey("\\boxed{\\text{(A)}}")).isEqualTo("(A)");
        assertThat(task.answerKey("nested \\boxed{\\frac{\\sqrt{2}}{2}} ok")).isEqualTo("\\frac{\\sqrt{2}}{2}");
        assertThat(task.answerKey("braces \\boxed{\\{1, 2\\}}")).isEqualTo("\\{1,2\\}");
        assertThat(task.answerKey("\\boxed 7 is it")).isEqualTo("7");
        assertThat(task.answerKey("\\fbox{8}")).isEqualTo("8");
        assertThat(task.answerKey("Hence \\boxed{12}\n\nBut wait, the answer is \\boxed{13")).as("a cut-off box is "
                + "passed over").isEqualTo("12");
        assertThat(task.answerKey("a boxed answer beats a later line: \\boxed{4}\n\nThat took 3 steps"))
                .isEqualTo("4");
        assertThat(task.answerKey("\\boxedx{9}")).as("not the boxed command").isEqualTo("9");
    }

    @Test
    void elseTheNumberAfterTheLastAnswerIs() {
        assertThat(task.answerKey("The answer is 25.\nSo the answer is 100 apples.\n\nI hope 7 helps.")).isEqualTo("100");
        assertThat(task.answerKey("Therefore, the final answer is: $\\frac{3}{6}$. I hope it is correct.")).isEqualTo("0.5");
        assertThat(task.answerKey("THE ANSWER IS -12")).isEqualTo("-12");
        assertThat(task.answerKey("the answer is x = 1,000")).isEqualTo("1000");
        assertThat(task.answerKey("So the answer is\n42")).as("nothing after it on its line").isEqualTo("42");
    }

    @Test
    void elseTheLastNumberOfTheLastLine() {
        assertThat(task.answerKey("Step 1: 1+3 = 4\n\nStep 2: 4+5 = 9.\n\n")).isEqualTo("9");
        assertThat(task.answerKey("A: 42")).isEqualTo("42");
        assertThat(task.answerKey("so x = -3")).isEqualTo("-3");
        assertThat(task.answerKey("10-3")).as("a minus between numbers is no sign").isEqualTo("3");
        assertThat(task.answerKey("half is 1/2")).isEqualTo("0.5");
        assertThat(task.answerKey("it is \\frac{6}{4}")).isEqualTo("1.5");
        assertThat(task.answerKey("2.50 dollars")).isEqualTo("2.5");
        assertThat(task.answerKey("12 on the first line\nno number on the last")).isNull();
        assertThat(task.answerKey("")).isNull();
        assertThat(task.answerKey("   \n\n")).isNull();
        assertThat(task.answerKey(null)).isNull();
        assertThat(task.answerKey("\\boxed{}")).as("an empty box states nothing").isNull();
    }

    @Test
    void equivalentCompletionsVoteTogether() {
        List<String> completions = List.of(
                "Sum of first 10 odd numbers is 10^2.\n\nThe answer is \\boxed{100}.",
                "1+3+...+19 = 100\n\nSo the answer is $100$.",
                "We get $\\boxed{100.0}$",
                "Therefore the final answer is 100.",
                "Adding up: 100",
                "\\boxed{\\text{100}}");
        assertThat(completions).extracting(task::answerKey).containsOnly("100");
    }
}
