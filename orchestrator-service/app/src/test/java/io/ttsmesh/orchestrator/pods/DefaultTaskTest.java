package io.ttsmesh.orchestrator.pods;

import io.ttsmesh.task.TaskRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** tts.orchestrator.task is checked against the tasks on the class path before any pod is reached. */
class DefaultTaskTest {

    private static final TaskRegistry TASKS = TaskRegistry.load();

    @Test
    void aTaskOnTheClassPathIsTheDefault() {
        assertThat(PodClients.defaultTask("countdown", TASKS)).isEqualTo("countdown");
        assertThat(PodClients.defaultTask(" arithmetic ", TASKS)).isEqualTo("arithmetic");
    }

    @Test
    void anUnknownTaskFailsNamingTheKeyAndTheKnownTasks() {
        assertThatThrownBy(() -> PodClients.defaultTask("chess", TASKS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tts.orchestrator.task: unknown task 'chess'")
                .hasMessageContaining("known: arithmetic, countdown");
    }
}
