package io.ttsmesh.mesh;

import io.ttsmesh.mesh.broker.KafkaBroker;
import io.ttsmesh.mesh.chaos.ChaosRun;
import io.ttsmesh.mesh.chaos.KillSchedule;
import io.ttsmesh.mesh.chaos.Victim;
import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.local.MeshPorts;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;
import io.ttsmesh.proto.events.StopReason;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.task.TaskRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos batch at CI size: 60 held-out questions through Kafka while the generator, the verifier, the orchestrator
 * and the broker are each SIGKILLed and restarted at seeded moments, two of them overlapping (a second generator and
 * verifier stay up, as replicas would). Every question gets exactly one result record on tts.results, none of them a
 * failed search. The full run is {@code tts-mesh chaos --limit 500} (bench/results/chaos.md);
 * -Dttsmesh.it.chaos-batch=N sizes this one.
 */
class ChaosIT {

    private static final int QUESTIONS = Integer.getInteger("ttsmesh.it.chaos-batch", 60);
    private static final long SEED = Long.getLong("ttsmesh.it.chaos-seed", 22);
    private static final SearchSpec SEARCH = new SearchSpec("beam_search", Map.of("n", "4"), 2000, 64, 120_000);

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void everyQuestionGetsExactlyOneResultThroughFourOverlappingKills() {
        MeshLayout layout = MeshLayout.discover();
        List<Question> questions = QuestionFile.first(layout.heldout("arithmetic"), QUESTIONS, TaskRegistry.load());
        String run = "chaos-it-" + Long.toString(System.currentTimeMillis(), 36);
        List<SolveRequest> requests = questions.stream()
                .map(q -> SEARCH.request(run + "." + q.id(), q.task(), q.question(), Detail.RESULT_ONLY)).toList();
        KillSchedule schedule = KillSchedule.draw(SEED, List.of(Victim.values()), requests.size());
        MeshPorts ports = MeshPorts.free(List.of("arithmetic"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        ChaosRun.Outcome outcome;
        try {
            outcome = new ChaosRun(layout, new LocalMesh.Options(layout).broker(KafkaBroker::new).readyTimeout(Duration.ofSeconds(240)).out(out),
                    ports, "arithmetic", Duration.ofSeconds(240), out).run(requests, schedule, Duration.ofMinutes(4));
        } finally {
            System.out.print(log.toString(StandardCharsets.UTF_8));
        }
        System.out.printf("chaos IT: %d questions in %.1f s (mesh start included); kills %s; counters %s%n", requests.size(),
                (System.nanoTime() - t0) / 1e9, outcome.kills(), outcome.orchestratorCounters());

        assertThat(outcome.kills()).extracting(k -> k.kill().victim()).containsExactlyInAnyOrder(Victim.values());
        assertThat(outcome.kills()).allSatisfy(k -> assertThat(k.readyAfterS()).isPositive());
        // the overlap happened: the second victim of the shared moment went down before the first was ready again
        List<ChaosRun.KillOutcome> overlapping = outcome.kills().stream().filter(k -> k.kill().overlapping()).toList();
        assertThat(overlapping).hasSize(2);
        assertThat(overlapping.get(1).killedAtS()).isLessThan(overlapping.get(0).killedAtS() + overlapping.get(0).readyAfterS());

        assertThat(outcome.results()).hasSize(requests.size());
        assertThat(outcome.notExactlyOnce()).as("questions without exactly one result record on tts.results").isEmpty();
        assertThat(outcome.exactlyOnce()).isEqualTo(requests.size());
        assertThat(outcome.results().values()).as("no search failed: the replicas and Kafka's redelivery covered every kill")
                .noneMatch(r -> r.getStopReason() == StopReason.FAILED);
        assertThat(outcome.orchestratorCounters().get("orchestrator incarnations")).isEqualTo(2.0);
    }
}
