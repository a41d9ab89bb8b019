package io.ttsmesh.mesh.local;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The orchestrator's default task and pod pools for the tasks a local mesh runs. */
class OrchestratorPoolsTest {

    @Test
    void countdownAloneMakesACountdownOnlyOrchestratorWithNoArithmeticPool() {
        Map<String, String> pools = LocalMesh.orchestratorPools(MeshPorts.defaults(List.of("countdown")));
        assertThat(pools).containsExactly(
                Map.entry("tts.orchestrator.task", "countdown"),
                Map.entry("tts.orchestrator.generators.addresses", "localhost:9081"),
                Map.entry("tts.orchestrator.verifiers.addresses", "localhost:9082"));
    }

    @Test
    void bothTasksKeepArithmeticAtTheTopAndCountdownUnderItsName() {
        Map<String, String> pools = LocalMesh.orchestratorPools(MeshPorts.defaults(List.of("arithmetic", "countdown")));
        assertThat(pools).containsExactly(
                Map.entry("tts.orchestrator.task", "arithmetic"),
                Map.entry("tts.orchestrator.generators.addresses", "localhost:9081"),
                Map.entry("tts.orchestrator.verifiers.addresses", "localhost:9082"),
                Map.entry("tts.orchestrator.tasks.countdown.generators.addresses", "localhost:9083"),
                Map.entry("tts.orchestrator.tasks.countdown.verifiers.addresses", "localhost:9084"));
    }
}
