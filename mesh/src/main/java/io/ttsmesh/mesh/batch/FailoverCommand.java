package io.ttsmesh.mesh.batch;

import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;
import io.ttsmesh.mesh.SearchOptions;
import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.MeshOptions;
import io.ttsmesh.mesh.local.MeshService;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.task.TaskRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code tts-mesh failover}: the scripted check that a Kafka batch survives a crash. Starts its own mesh, sends a
 * batch, SIGKILLs the orchestrator (or the broker) once some results are in, starts it again, waits for every
 * result, then reads tts.results from the beginning and checks every question has exactly one result record.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = {"Checks that a Kafka batch gets exactly one result per question when the orchestrator (or the broker) "
                + "is killed (SIGKILL) and restarted in the middle of it. Starts its own mesh."})
public class FailoverCommand implements Callable<Integer> {

    enum Victim { orchestrator, broker }

    @Option(names = "--limit", defaultValue = "200", description = "questions of each task's held-out set (default: ${DEFAULT-VALUE})")
    int limit;
    @Option(names = "--kill", defaultValue = "orchestrator", description = "what to kill: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Victim victim;
    @Option(names = "--kill-after", defaultValue = "10", description = "results received before the kill (default: ${DEFAULT-VALUE})")
    int killAfter;
    @Option(names = "--timeout", defaultValue = "1800", description = "seconds to wait for every result (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;
    @Mixin
    SearchOptions search;
    @Mixin
    MeshOptions mesh;

    @Override
    public Integer call() {
        MeshLayout layout = MeshLayout.discover();
        TaskRegistry registry = TaskRegistry.load();
        List<String> tasks = mesh.tasks(registry, List.of(TaskRegistry.DEFAULT));
        List<Question> questions = new ArrayList<>();
        for (String task : tasks) {
            questions.addAll(QuestionFile.first(layout.heldout(task), limit, registry));
        }
        if (killAfter >= questions.size()) {
            throw new IllegalArgumentException("--kill-after must be below the number of questions (" + questions.size() + ")");
        }
        String run = "failover-" + Long.toString(System.currentTimeMillis(), 36);
        List<SolveRequest> requests = questions.stream()
                .map(q -> search.spec(q.task()).request(run + "." + q.id(), q.task(), q.question(), Detail.RESULT_ONLY)).toList();
        try (LocalMesh running = mesh.toOptions(layout, tasks).start()) {
            System.out.printf("%nFailover check %s: %d questions of %s, %s killed (SIGKILL) after %d results, then restarted; %s%n",
                    run, requests.size(), tasks, victim, killAfter, search.spec());
            AtomicInteger results = new AtomicInteger();
            CompletableFuture<Void> crash = new CompletableFuture<>();
            KafkaBatch batch = new KafkaBatch(running.bootstrapServers(), "tts.requests", "tts.results", "tts.requests.dlq");
            KafkaBatch.Outcome outcome = batch.run(requests, Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(5), r -> {
                if (results.incrementAndGet() == killAfter) {
                    // Off the reading thread: the batch goes on reading while the victim restarts.
                    CompletableFuture.runAsync(() -> crashAndRestart(running)).whenComplete((v, e) -> {
                        if (e != null) {
                            crash.completeExceptionally(e);
                        } else {
                            crash.complete(null);
                        }
                    });
                }
            });
            crash.join();
            Map<String, Integer> counts = ResultRecords.countPerKey(running.bootstrapServers(), "tts.results",
                    requests.stream().map(SolveRequest::getRequestId).toList());
            long once = counts.values().stream().filter(c -> c == 1).count();
            Map<String, Integer> wrong = new java.util.TreeMap<>();
            counts.forEach((id, c) -> {
                if (c != 1) {
                    wrong.put(id, c);
                }
            });
            System.out.printf("results received: %d of %d in %.1f s%n", outcome.results().size(), requests.size(),
                    outcome.elapsed().toMillis() / 1000.0);
            System.out.printf("tts.results read from the beginning: %d of %d questions have exactly one result record%s%n",
                    once, requests.size(), wrong.isEmpty() ? "" : "; not exactly one: " + wrong);
            return wrong.isEmpty() ? 0 : 3;
        }
    }

    private void crashAndRestart(LocalMesh running) {
        long t0 = System.nanoTime();
        if (victim == Victim.orchestrator) {
            running.kill(MeshService.ORCHESTRATOR);
            running.restart(MeshService.ORCHESTRATOR);
        } else {
            running.broker().kill();
            running.broker().restart(Duration.ofSeconds(180));
        }
        System.out.printf("%n%s killed and ready again in %.1f s%n", victim, (System.nanoTime() - t0) / 1e9);
    }
}
