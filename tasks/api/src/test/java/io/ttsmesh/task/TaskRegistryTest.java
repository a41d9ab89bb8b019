package io.ttsmesh.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskRegistryTest {

    /** The least a task must define. */
    private record Named(String name) implements Task {
        @Override
        public String description() {
            return name;
        }

        @Override
        public String canonicalQuestion(String question) {
            return question;
        }

        @Override
        public String questionText(Map<String, Object> record) {
            return String.valueOf(record.get("question"));
        }

        @Override
        public String answerKey(String completion) {
            return null;
        }

        @Override
        public Grade grade(String question, String completion, String expectedAnswer) {
            return new Grade(null, false, List.of());
        }
    }

    @Test
    void findsTasksByNameAndDefaultsToArithmetic() {
        TaskRegistry r = new TaskRegistry(List.of(new Named("countdown"), new Named("arithmetic")));
        assertThat(r.names()).containsExactly("arithmetic", "countdown");
        assertThat(r.get("countdown").name()).isEqualTo("countdown");
        assertThat(r.get(null).name()).isEqualTo(TaskRegistry.DEFAULT);
        assertThat(r.get("  ").name()).isEqualTo(TaskRegistry.DEFAULT);
        assertThat(r.contains("countdown")).isTrue();
        assertThat(r.contains("chess")).isFalse();
    }

    @Test
    void theSameNameTwiceFails() {
        assertThatThrownBy(() -> new TaskRegistry(List.of(new Named("a"), new Named("a"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a' is registered twice");
    }

    @Test
    void namesMustBeSimple() {
        assertThatThrownBy(() -> new TaskRegistry(List.of(new Named("Count Down"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must match");
    }

    @Test
    void anUnknownNameIsAnInvalidTaskField() {
        TaskRegistry r = new TaskRegistry(List.of(new Named("countdown"), new Named("arithmetic")));
        assertThatThrownBy(() -> r.get("chess")).isInstanceOfSatisfying(InvalidQuestion.class, e -> {
            assertThat(e.field()).isEqualTo("task");
            assertThat(e.reason()).isEqualTo("unknown task 'chess' (known: arithmetic, countdown)");
            assertThat(e.getMessage()).startsWith("task: ");
        });
    }

    @Test
    void stepsDropOnlyALastEmptyLine() {
        assertThat(Task.steps("a\nb\n")).containsExactly("a", "b");
        assertThat(Task.steps("a\n\nb")).containsExactly("a", "", "b");
        assertThat(Task.steps("")).isEmpty();
    }
}
