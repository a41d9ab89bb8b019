package io.ttsmesh.task.math;

import io.ttsmesh.task.Grade;
import io.ttsmesh.task.TaskRegistry;
import io.ttsmesh.testbed.ArithmeticTask;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Grading against a reference, no rule checker or oracle, and the registry finding the plug-in. */
class MathTaskTest {

    private final MathTask task = new MathTask();
    private static final String Q = "What is the sum of the first 10 odd numbers?";

    @Test
    void gradesTheKeyAgainstTheReference() {
        Grade right = task.grade(Q, "1+3+...+19\n\nThe answer is $\\boxed{100}$.", "100");
        assertThat(right).isEqualTo(new Grade("100", true, java.util.List.of()));
        assertThat(task.grade(Q, "\\boxed{\\frac{1}{2}}", "0.5").correct()).isTrue();
        assertThat(task.grade(Q, "\\boxed{0.50}", "\\dfrac{2}{4}").correct()).isTrue();
        assertThat(task.grade(Q, "\\boxed{99}", "100")).isEqualTo(new Grade("99", false, java.util.List.of()));
        assertThat(task.grade(Q, "The sum is ... so we get \\boxed{100}", "Adding: $1+3+\\dots+19 = \\boxed{100}$")
                .correct()).as("a reference solution is read at its box").isTrue();
        assertThat(task.grade(Q, "no answer here", "100")).isEqualTo(new Grade(null, false, java.util.List.of()));
        assertThat(task.grade(Q, "\\boxed{100}", null).correct()).as("no reference, nothing is right").isFalse();
        assertThat(task.grade(Q, "\\boxed{100}", " ").correct()).isFalse();
    }

    @Test
    void hasNoRuleCheckerAndNoOracle() {
        assertThat(task.rules()).isEmpty();
        assertThat(task.oracle()).isEmpty();
        assertThat(task.difficulty(Q)).isEqualTo(-1);
        assertThat(task.description()).contains("no rule checker, no oracle");
    }

    @Test
    void theRegistryFindsItBesideTheOtherTasks() {
        TaskRegistry registry = TaskRegistry.load();
        assertThat(registry.names()).containsExactly("arithmetic", "countdown", "math");
        assertThat(registry.get("math")).isInstanceOf(MathTask.class);
        assertThat(registry.get(null)).as("the default stays arithmetic").isInstanceOf(ArithmeticTask.class);
    }
}
