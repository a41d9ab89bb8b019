package io.ttsmesh.task.countdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.TaskRegistry;
import io.ttsmesh.testbed.ArithmeticTask;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With both task modules on the class path (testbed is a test dependency here), the registry finds both. */
class TaskRegistryLoadTest {

    @Test
    void serviceLoaderFindsBothTasks() {
        TaskRegistry registry = TaskRegistry.load();
        assertThat(registry.names()).containsExactly("arithmetic", "countdown");
        assertThat(registry.get("countdown")).isInstanceOf(CountdownTask.class);
        assertThat(registry.get("arithmetic")).isInstanceOf(ArithmeticTask.class);
        assertThat(registry.get(null)).as("the default").isInstanceOf(ArithmeticTask.class);
        assertThat(registry.get(" countdown ")).isInstanceOf(CountdownTask.class);
    }

    @Test
    void theSameNameTwiceFails() {
        assertThatThrownBy(() -> new TaskRegistry(List.of(new CountdownTask(), new ArithmeticTask(),
                new CountdownTask())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("task 'countdown' is registered twice");
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> TaskRegistry.load().get("chess"))
                .isInstanceOfSatisfying(InvalidQuestion.class, e -> {
                    assertThat(e.field()).isEqualTo("task");
                    assertThat(e.reason()).isEqualTo("unknown task 'chess' (known: arithmetic, countdown)");
                });
    }
}
