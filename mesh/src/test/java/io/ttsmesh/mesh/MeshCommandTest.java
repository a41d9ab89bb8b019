package io.ttsmesh.mesh;

import io.ttsmesh.mesh.batch.BatchReport;
import io.ttsmesh.mesh.batch.KafkaBatch;
import io.ttsmesh.mesh.local.MeshPorts;
import io.ttsmesh.mesh.local.MeshStartException;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import com.google.protobuf.util.JsonFormat;
import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.TaskRegistry;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
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

    private static final TaskRegistry TASKS = TaskRegistry.load();

    @Test
    void theTasksOfABatchAreInOrderOfFirstAppearance() {
        Question countdown = new Question("cd-1", "countdown", "3 7 9 2 -> 24", null, null);
        assertThat(QuestionFile.tasksOf(List.of(countdown, new Question("a", "arithmetic", "1+2", "3", null), countdown)))
                .containsExactly("countdown", "arithmetic");
    }

    @Test
    void aRequestRecordCarriesTheTaskAndTheVerifier() throws Exception {
        SearchSpec spec = new SearchSpec("beam_search", Map.of("n", "4"), 2000, 32, 60_000).withVerifier("rules+prm");
        String json = KafkaBatch.json(spec.request("batch-1.cd-heldout-0001", "countdown", "3 7 9 2 -> 24", Detail.RESULT_ONLY));
        assertThat(json).contains("\"task\":\"countdown\"", "\"verifier\":\"rules+prm\"");
        SolveRequest.Builder read = SolveRequest.newBuilder();
        JsonFormat.parser().merge(json, read);
        assertThat(read.getQuestion()).isEqualTo("3 7 9 2 -> 24");
    }

    @Test
    void countdownSearchesStackTheRuleCheckerUnlessTheVerifierIsGiven() throws Exception {
        SearchOptions options = new SearchOptions();
        new CommandLine(options).parseArgs();
        assertThat(options.spec("countdown").verifier()).isEqualTo("rules+prm");
        assertThat(options.spec("arithmetic").verifier()).isNull();
        new CommandLine(options).parseArgs("--verifier", "prm");
        assertThat(options.spec("countdown").verifier()).isEqualTo("prm");
    }

    @Test
    void theTaskOptionNamesTasksOrAllTheDefaultFirstAndAnUnknownOneIsNamed() {
        assertThat(tasks()).containsExactly("arithmetic");
        assertThat(tasks("--task", "countdown")).containsExactly("countdown");
        assertThat(tasks("--task", "all")).containsExactly("arithmetic", "countdown");
        assertThat(tasks("--task", "countdown,arithmetic")).containsExactly("arithmetic", "countdown");
        assertThatThrownBy(() -> tasks("--task", "chess")).isInstanceOf(InvalidQuestion.class)
                .hasMessageContaining("task").hasMessageContaining("chess").hasMessageContaining("countdown");
    }

    private static List<String> tasks(String... args) {
        MeshOptions options = new MeshOptions();
        new CommandLine(options).parseArgs(args);
        return options.tasks(TASKS, List.of("arithmetic"));
    }

    @Test
    void eachFurtherTaskGetsItsOwnPodsTwoPortsOnAndPortsAreNamedByTask() {
        MeshPorts ports = MeshPorts.defaults(List.of("arithmetic", "countdown"));
        assertThat(ports.pod("arithmetic")).isEqualTo(new MeshPorts.PodPorts(8081, 9081, 8082, 9082));
        assertThat(ports.pod("countdown")).isEqualTo(new MeshPorts.PodPorts(8083, 9083, 8084, 9084));
        assertThat(ports.byName()).containsEntry("countdown generator gRPC", 9083).containsEntry("arithmetic verifier HTTP", 8082)
                .containsEntry("orchestrator gRPC", 9080);
        assertThat(MeshPorts.defaults(List.of("countdown")).byName()).containsEntry("generator HTTP", 8081);
        assertThat(MeshPorts.free(List.of("arithmetic", "countdown")).byName().values()).doesNotHaveDuplicates().hasSize(12);
        assertThatThrownBy(() -> ports.pod("chess")).hasMessageContaining("chess").hasMessageContaining("countdown");
    }

    @Test
    void aBatchIsGradedByEachQuestionsTask() {
        Question arithmetic = new Question("a1", "arithmetic", "1+2", "3", null);
        Question countdown = new Question("c1", "countdown", "3 7 9 2 -> 24", null, null);
        Question countdownWrong = new Question("c2", "countdown", "3 7 9 2 -> 24", null, null);
        Map<String, String> ids = Map.of("a1", "r.a1", "c1", "r.c1", "c2", "r.c2");
        Map<String, SolveResult> results = Map.of(
                "r.a1", result("r.a1", "1+2=3\nA: 3\n"),
                "r.c1", result("r.c1", "7+9=16; 3 2 16\n16/2=8; 3 8\n8*3=24; 24\nA: 24\n"),
                "r.c2", result("r.c2", "9-7=2; 3 2 2\n3*2=6; 2 6\n6*2=12; 12\nA: 12\n"));
        KafkaBatch.Outcome outcome = new KafkaBatch.Outcome(results, Map.of("r.a1", 1, "r.c1", 1, "r.c2", 1), Map.of(), Duration.ofSeconds(2));
        BatchReport report = BatchReport.of(List.of(arithmetic, countdown, countdownWrong), ids, outcome, TASKS);
        assertThat(report.correct()).isEqualTo(2);
        assertThat(report.byTask()).containsEntry("arithmetic", new BatchReport.TaskScore(1, 1))
                .containsEntry("countdown", new BatchReport.TaskScore(2, 1));
        assertThat(report.render()).contains("66.7% (2/3", "countdown         50.0% (1/2)");
    }

    private static SolveResult result(String id, String solution) {
        return SolveResult.newBuilder().setRequestId(id).setSolution(solution).build();
    }

    @Test
    void aTakenPortIsNamedWithTheWayOut() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            MeshPorts free = MeshPorts.free(List.of("arithmetic"));
            MeshPorts clash = new MeshPorts(taken.getLocalPort(), free.kafkaController(), free.orchestratorHttp(), free.orchestratorGrpc(),
                    free.pods());
            assertThatThrownBy(clash::requireFree).isInstanceOf(MeshStartException.class)
                    .hasMessageContaining("Kafka port " + taken.getLocalPort() + " is in use")
                    .hasMessageContaining("--help");
        }
    }
}
