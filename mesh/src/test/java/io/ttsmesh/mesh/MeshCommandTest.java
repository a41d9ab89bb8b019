package io.ttsmesh.mesh;

import io.ttsmesh.mesh.batch.KafkaBatch;
import io.ttsmesh.mesh.local.MeshPorts;
import io.ttsmesh.mesh.local.MeshStartException;
import io.ttsmesh.proto.orchestrator.Detail;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeshCommandTest {

    @Test
    void upIsTheDefaultSubcommand() {
        assertThat(MeshCommand.withDefaultSubcommand(new String[0])).containsExactly("up");
        assertThat(MeshCommand.withDefaultSubcommand(new String[] {"--n", "4"})).containsExactly("up", "--n", "4");
        assertThat(MeshCommand.withDefaultSubcommand(new String[] {"batch", "--limit", "3"})).containsExactly("batch", "--limit", "3");
        assertThat(MeshCommand.withDefaultSubcommand(new String[] {"--help"})).containsExactly("--help");
    }

    @Test
    void aHeldOutLineReadsWithItsReferenceAnswerAndABadLineIsNamed() {
        HeldOutQuestion q = HeldOutQuestion.parse("{\"id\": \"heldout-00000\", \"question\": \"53+(50+20)\", \"answer\": \"123\", \"difficulty\": 2}", "x:1");
        assertThat(q).isEqualTo(new HeldOutQuestion("heldout-00000", "53+(50+20)", "123"));
        assertThatThrownBy(() -> HeldOutQuestion.parse("{\"question\": \"1+1\"}", "file.jsonl:7"))
                .hasMessageContaining("file.jsonl:7").hasMessageContaining("\"id\"");
    }

    @Test
    void aRequestRecordIsTheSolveRequestInProtoJsonWithItsBudget() {
        SearchSpec spec = new SearchSpec("beam_search", Map.of("n", "4"), 2000, 32, 60_000);
        String json = KafkaBatch.json(spec.request("batch-1.heldout-00000", "1+2", Detail.RESULT_ONLY));
        assertThat(json).contains("\"request_id\":\"batch-1.heldout-00000\"", "\"question\":\"1+2\"",
                "\"strategy\":{\"name\":\"beam_search\",\"params\":{\"n\":\"4\"}}",
                "\"budget\":{\"max_tokens\":\"2000\",\"max_verifier_calls\":32,\"deadline_ms\":60000}");
    }

    @Test
    void aTakenPortIsNamedWithTheWayOut() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            MeshPorts free = MeshPorts.free();
            MeshPorts clash = new MeshPorts(taken.getLocalPort(), free.kafkaController(), free.generatorHttp(), free.generatorGrpc(),
                    free.verifierHttp(), free.verifierGrpc(), free.orchestratorHttp(), free.orchestratorGrpc());
            assertThatThrownBy(clash::requireFree).isInstanceOf(MeshStartException.class)
                    .hasMessageContaining("Kafka port " + taken.getLocalPort() + " is in use")
                    .hasMessageContaining("--help");
        }
    }
}
