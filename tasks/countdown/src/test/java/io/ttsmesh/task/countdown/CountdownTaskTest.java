package io.ttsmesh.task.countdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ttsmesh.task.Grade;
import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountdownTaskTest {

    private final CountdownTask task = new CountdownTask();

    @Test
    void questions() {
        assertThat(task.name()).isEqualTo("countdown");
        assertThat(task.canonicalQuestion(" {\"numbers\":[3,7,9,2],\"target\":24}")).isEqualTo("3 7 9 2 -> 24");
        assertThat(task.questionText(Map.of("id", "cd-1", "numbers", List.of(3, 7, 9, 2), "target", 24)))
                .isEqualTo("3 7 9 2 -> 24");
        assertThat(task.difficulty("3 7 9 2 -> 24")).isEqualTo(4);
        assertThat(task.difficulty("1 2 3 -> 10")).isEqualTo(3);
        assertThat(task.difficulty("1 2 3 4 5 -> 10")).isEqualTo(5);
        assertThatThrownBy(() -> task.canonicalQuestion("3 7 9 2"))
                .isInstanceOfSatisfying(InvalidQuestion.class, e -> assertThat(e.field()).isEqualTo("question"));
    }

    @Test
    void gradeIsCorrectOnlyForAFullValidSolution() {
        Grade right = task.grade("3 7 9 2 -> 24", "9+7=16; 3 2 16\n16*3=48; 2 48\n48/2=24; 24\nA: 24", null);
        assertThat(right.correct()).isTrue();
        assertThat(right.answer()).isEqualTo("3*16=48,48/2=24,7+9=16");
        assertThat(right.stepLabels()).containsExactly(true, true, true, true);

        Grade anyOrder = task.grade("3 7 9 2 -> 24", "16*3=48; 2 48", null);
        assertThat(anyOrder.correct()).isFalse();
        assertThat(anyOrder.stepLabels()).containsExactly(false);

        Grade wrong = task.grade("3 7 9 2 -> 24", "9-7=2; 3 2 2\n3*2=6; 2 6\n6*2=12; 12\nA: 12", "ignored");
        assertThat(wrong.correct()).isFalse();
        assertThat(wrong.answer()).isEqualTo("2*3=6,2*6=12,9-7=2");
        assertThat(wrong.stepLabels()).as("oracle labels: 24 is out of reach after 9-7").containsOnly(false);

        assertThat(task.grade("8 2 5 -> 20", "8/2=4; 5 4\n5*4=20; 20", null).correct()).as("no answer line")
                .isFalse();
        assertThat(task.grade("8 2 5 -> 20", "8/2=4; 5 4\n5*4=20; 20\nA: 20\n", null).correct())
                .as("a final newline is no extra line").isTrue();
        assertThat(task.grade("8 2 5 -> 20", "8/2=4; 5 4\n5*4=20; 20\nA: 20\nA: 20", null).correct()).isFalse();
        assertThat(task.grade("8 2 5 -> 20", "", null).correct()).isFalse();
    }

    @Test
    void rulesAreWeakerThanTheOracle() {
        String q = "3 7 9 2 -> 24";
        List<String> deadEnd = Task.steps("9-7=2; 3 2 2\n3+2=5; 2 5");
        assertThat(task.rules().orElseThrow().labels(q, deadEnd)).containsExactly(true, true);
        assertThat(task.oracle().orElseThrow().labels(q, deadEnd)).containsExactly(false, false);
    }
}
