package io.ttsmesh.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ttsmesh.task.Grade;
import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArithmeticTaskTest {

    private final ArithmeticTask task = new ArithmeticTask();

    @Test
    void questions() {
        assertThat(task.name()).isEqualTo("arithmetic");
        assertThat(task.canonicalQuestion("  (17+25)*3-14\n")).isEqualTo("(17+25)*3-14");
        assertThat(task.canonicalQuestion("(17+25)*3-14")).isEqualTo("(17+25)*3-14");
        assertThat(task.questionText(Map.of("id", "x", "question", "2+3*4", "answer", "14"))).isEqualTo("2+3*4");
        assertThat(task.difficulty("(17+25)*3-14")).isEqualTo(3);
        assertThat(task.difficulty("1+2")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "2+", "(2+3", "2 + 3", "2/3", "x", "2+3)", "99999999999999999999+1"})
    void badQuestionsNameTheQuestionField(String q) {
        assertThatThrownBy(() -> task.canonicalQuestion(q))
                .isInstanceOfSatisfying(InvalidQuestion.class, e -> {
                    assertThat(e.field()).isEqualTo("question");
                    assertThat(e.reason()).isNotBlank();
                });
    }

    @Test
    void recordsWithoutAQuestionStringAreRejected() {
        assertThatThrownBy(() -> task.questionText(Map.of("answer", "5")))
                .isInstanceOfSatisfying(InvalidQuestion.class, e -> assertThat(e.field()).isEqualTo("question"));
        assertThatThrownBy(() -> task.questionText(Map.of("question", 5)))
                .isInstanceOfSatisfying(InvalidQuestion.class, e -> assertThat(e.field()).isEqualTo("question"));
    }

    @Test
    void gradeAndKeyAreTheTestBedsOwn() {
        String q = "(17+25)*3-14";
        String right = "17+25=42\n42*3=126\n126-14=112\nA: 112";
        Grade g = task.grade(q, right, "112");
        assertThat(g.correct()).isTrue();
        assertThat(g.answer()).isEqualTo("112");
        assertThat(g.stepLabels()).containsExactly(true, true, true, true);
        assertThat(task.grade(q, right, null).correct()).as("answer computed").isTrue();
        assertThat(task.answerKey("17+25=42\nA: +0112")).isEqualTo("112");

        Grade lucky = task.grade(q, "17+25=41\nA: 112", null);
        assertThat(lucky.correct()).as("accuracy counts the answer alone").isTrue();
        assertThat(lucky.stepLabels()).containsExactly(false, false);
    }

    @Test
    void oracleIsTheExactStepChecker() {
        List<String> steps = Task.steps("42*3=126\n17+25=42\n");
        assertThat(task.oracle().orElseThrow().labels("(17+25)*3-14", steps)).containsExactly(false, false);
        assertThat(task.oracle().orElseThrow().labels("(17+25)*3-14", List.of(" 17+25=42\r", "42*3=126")))
                .containsExactly(true, true);
        assertThat(task.rules().orElseThrow().labels("(17+25)*3-14", steps)).containsExactly(true, true);
    }
}
