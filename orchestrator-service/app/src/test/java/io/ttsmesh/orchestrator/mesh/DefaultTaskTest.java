package io.ttsmesh.orchestrator.mesh;

import io.ttsmesh.task.TaskRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** tts.orchestrator.task is checked against the tasks on the class path before any pod is reached. */
class DefaultTaskTest {

    private static final TaskRegistry TASKS = TaskRegistry.load();

    @Test
    void aTaskOnTheClassPathIsTheDefault() {
        assertThat(MeshClients.defaultTask("countdown", TASKS)).isEqualTo("countdown");
        assertThat(MeshClients.defaultTask(" arithmetic ", TASKS)).isEqualTo("arithmetic");
    }

    @Test
    void anUnknownTaskFailsNamingTheKeyAndTheKnownTasks() {
        assertThatThrownBy(() -> MeshClients.defaultTask("chess", TASKS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tts.orchestrator.task: unknown task 'chess'")
                .hasMessageContaining("known: arithmetic, countdown");
    }
}
