package io.ttsmesh.mesh.chaos;

import io.ttsmesh.mesh.MeshOptions;
import io.ttsmesh.mesh.SearchOptions;
import io.ttsmesh.mesh.batch.BatchReport;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.task.TaskRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tts-mesh chaos}: a Kafka batch of held-out questions while a generator, a verifier, the orchestrator and the
 * broker are SIGKILLed and restarted at seeded random moments, two of them overlapping; then every question must have
 * exactly one result record on tts.results. Starts its own mesh, with a second generator and verifier beside it.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Chaos batch: a Kafka batch during which a generator, a verifier, the orchestrator and the broker are "
                + "killed (SIGKILL) and restarted at seeded random moments, two overlapping; checks every question gets "
                + "exactly one result. Starts its own mesh (arithmetic, with a second generator and verifier)."})
public class ChaosCommand implements Callable<Integer> {

    @Option(names = "--limit", defaultValue = "500", description = "held-out questions (default: ${DEFAULT-VALUE})")
    int limit;
    @Option(names = "--seed", defaultValue = "22", description = "the kill schedule (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--kill", split = ",", defaultValue = "generator,verifier,orchestrator,broker",
            description = "victims, each killed once: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    List<Victim> victims;
    @Option(names = "--timeout", defaultValue = "1800", description = "seconds to wait for every result (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;
    @Option(names = "--report", description = "write the figures as markdown to this file (relative: to the repository), e.g. bench/results/chaos.md")
    Path report;
    @Mixin
    SearchOptions search;
    @Mixin
    MeshOptions mesh;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        MeshLayout layout = MeshLayout.discover();
        TaskRegistry registry = TaskRegistry.load();
        String task = TaskRegistry.DEFAULT;
        List<Question> questions = QuestionFile.first(layout.heldout(task), limit, registry);
        KillSchedule schedule = KillSchedule.draw(seed, victims, questions.size());
        String run = "chaos-" + Long.toString(System.currentTimeMillis(), 36);
        Map<String, String> ids = new LinkedHashMap<>();
        List<SolveRequest> requests = new ArrayList<>();
        for (Question q : questions) {
            String id = run + "." + q.id();
            ids.put(q.id(), id);
            requests.add(search.spec(task).request(id, task, q.question(), Detail.RESULT_ONLY));
        }
        Instant started = Instant.now();
        ChaosRun chaos = new ChaosRun(layout, mesh.toOptions(layout, List.of(task)), mesh.ports(List.of(task)), task,
                mesh.readyTimeout(), System.out);
        try (LoadAverage sampled = LoadAverage.start()) {
            ChaosRun.Outcome outcome = chaos.run(requests, schedule, Duration.ofSeconds(timeoutSeconds));
            BatchReport batch = BatchReport.of(questions, ids, outcome.batch(), registry);
            String text = ChaosReport.render(outcome, batch, schedule, command(), search.spec(task).toString(), started,
                    Instant.now(), sampled.summary());
            System.out.println();
            System.out.println(text);
            if (report != null) {
                Path file = layout.repo().resolve(report);
                Files.writeString(file, text);
                System.out.println("wrote " + file);
            }
            return outcome.notExactlyOnce().isEmpty() && outcome.results().size() == questions.size() ? 0 : 3;
        }
    }

    private String command() {
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.getFirst().equals("chaos")) {
            args.removeFirst();
        }
        return "java -jar mesh/target/tts-mesh.jar chaos " + String.join(" ", args);
    }
}
