package io.ttsmesh.task.math;

import io.ttsmesh.task.InvalidQuestion;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Free text within the length limit, normalized; clear errors on field "question". */
class MathQuestionTest {

    private final MathTask task = new MathTask();

    @Test
    void anyTextIsAQuestionTrimmedAndNfc() {
        assertThat(task.canonicalQuestion("  What is the sum of the first 10 odd numbers?\n")).isEqualTo(
                "What is the sum of the first 10 odd numbers?");
        assertThat(task.canonicalQuestion("Cafe\u0301 costs $3; what is 2\u00d73?")).as("NFC")
                .isEqualTo("Caf\u00e9 costs $3; what is 2\u00d73?");
        assertThat(task.canonicalQuestion("Line one\r\nline two\rthree\tfour")).isEqualTo("Line one\nline two\nthree\tfour");
        assertThat(task.canonicalQuestion("12+30")).isEqualTo("12+30");
        assertThat(task.canonicalQuestion("Find $x$ if $\\frac{x}{2} = 3$. 求 x。")).isEqualTo("Find $x$ if $\\frac{x}{2} = 3$. 求 x。");
        String longest = "x".repeat(MathQuestion.MAX_CHARS);
        assertThat(task.canonicalQuestion("  " + longest + "  ")).isEqualTo(longest);
    }

    @Test
    void badQuestionsAreRefusedOnFieldQuestion() {
        refused(null, "must not be empty");
        refused("", "must not be empty");
        refused(" \n\t ", "must not be empty");
        refused("x".repeat(MathQuestion.MAX_CHARS + 1), "is 4001 characters long; the math task accepts at most 4000");
        refused("bell\u0007", "control character U+0007 at offset 4");
        refused("nul\u0000", "control character U+0000");
    }

    private void refused(String question, String reason) {
        assertThatThrownBy(() -> task.canonicalQuestion(question)).isInstanceOfSatisfying(InvalidQuestion.class, e -> {
            assertThat(e.field()).isEqualTo("question");
            assertThat(e.reason()).contains(reason);
        });
    }

    @Test
    void questionFilesNameItQuestionOrProblem() {
        assertThat(task.questionText(Map.of("question", " What is 1+1? "))).isEqualTo("What is 1+1?");
        assertThat(task.questionText(Map.of("problem", "Compute $2^3$.", "answer", "8"))).isEqualTo("Compute $2^3$.");
        assertThatThrownBy(() -> task.questionText(Map.of("q", "x"))).isInstanceOfSatisfying(InvalidQuestion.class,
                e -> assertThat(e.field()).isEqualTo("question"));
        assertThatThrownBy(() -> task.questionText(Map.of("question", 12))).isInstanceOfSatisfying(InvalidQuestion.class,
                e -> assertThat(e.reason()).contains("must be a string, got Integer"));
    }

    @Property
    void theCanonicalQuestionIsAcceptedUnchanged(@ForAll String question) {
        String canonical;
        try {
            canonical = task.canonicalQuestion(question);
        } catch (InvalidQuestion e) {
            assertThat(e.field()).isEqualTo("question");
            return;
        }
        assertThat(task.canonicalQuestion(canonical)).isEqualTo(canonical);
    }
}
