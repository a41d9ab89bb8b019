package io.ttsmesh.mesh.batch;

import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;
import io.ttsmesh.mesh.SearchOptions;
import io.ttsmesh.mesh.SearchSpec;
import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.MeshOptions;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.task.TaskRegistry;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tts-mesh batch}: a file of questions through Kafka, every result awaited, graded. */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Sends one request per question to tts.requests (keyed by request id), reads tts.results until every "
                + "question has its result, checks each came exactly once, and grades the answers.",
                "Against a running mesh with --bootstrap; otherwise starts its own mesh for the batch."})
public class BatchCommand implements Callable<Integer> {

    @Option(names = "--file", description = "JSONL of questions, each line a question of its task: {id, question, answer} "
            + "(arithmetic) or {id, task, numbers, target} (countdown) (default: the held-out set of each task of --task)")
    Path file;
    @Option(names = "--limit", defaultValue = "200", description = "questions from the file, or from each task's held-out set "
            + "(default: ${DEFAULT-VALUE})")
    int limit;
    @Option(names = "--bootstrap", description = "Kafka of a running mesh, e.g. localhost:9092 (default: start a mesh for this batch)")
    String bootstrap;
    @Option(names = "--timeout", defaultValue = "1800", description = "seconds to wait for every result (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;
    @Option(names = "--requests-topic", defaultValue = "tts.requests")
    String requestsTopic;
    @Option(names = "--results-topic", defaultValue = "tts.results")
    String resultsTopic;
    @Option(names = "--dead-letter-topic", defaultValue = "tts.requests.dlq")
    String deadLetterTopic;
    @Mixin
    SearchOptions search;
    @Mixin
    MeshOptions mesh;

    /** The task plug-ins: what reads the questions and grades the answers. */
    private final TaskRegistry registry = TaskRegistry.load();

    @Override
    public Integer call() {
        MeshLayout layout = MeshLayout.locate();
        List<Question> questions = new ArrayList<>();
        if (file != null) {
            questions.addAll(QuestionFile.first(file, limit, registry));
        } else {
            for (String task : mesh.tasks(registry, List.of(TaskRegistry.DEFAULT))) {
                questions.addAll(QuestionFile.first(layout.heldout(task), limit, registry));
            }
        }
        if (questions.isEmpty()) {
            System.err.println("no questions in " + (file != null ? file : "the held-out sets"));
            return 2;
        }
        if (bootstrap != null) {
            return run(bootstrap, questions);
        }
        List<String> tasks = mesh.tasks(registry, QuestionFile.tasksOf(questions));
        List<String> unserved = QuestionFile.tasksOf(questions).stream().filter(t -> !tasks.contains(t)).toList();
        if (!unserved.isEmpty()) {
            throw new IllegalArgumentException("the questions include tasks " + unserved + " that --task " + tasks
                    + " does not start; add them to --task (or leave --task out)");
        }
        try (LocalMesh running = mesh.toOptions(MeshLayout.discover(), tasks).start()) {
            return run(running.bootstrapServers(), questions);
        }
    }

    private int run(String bootstrapServers, List<Question> questions) {
        // A fresh prefix per run: the orchestrator answers a request id only once (idempotence), so a rerun of
        // the same file must not reuse the ids of an earlier run.
        String run = "batch-" + Long.toString(System.currentTimeMillis(), 36);
        Map<String, String> requestIds = new LinkedHashMap<>();
        List<SolveRequest> requests = new ArrayList<>();
        Map<String, SearchSpec> specs = new LinkedHashMap<>();
        for (Question q : questions) {
            String id = run + "." + q.id();
            if (requestIds.put(q.id(), id) != null) {
                throw new IllegalArgumentException("question id " + q.id() + " occurs twice in the batch");
            }
            SearchSpec spec = specs.computeIfAbsent(q.task(), search::spec);
            requests.add(spec.request(id, q.task(), q.question(), Detail.RESULT_ONLY));
        }
        System.out.printf("Batch %s: %d questions (%s) from %s through %s at %s%n", run, questions.size(),
                countsByTask(questions), file != null ? file : "the held-out sets", requestsTopic, bootstrapServers);
        specs.forEach((task, spec) -> System.out.printf("  %s: %s%n", task, spec));
        KafkaBatch batch = new KafkaBatch(bootstrapServers, requestsTopic, resultsTopic, deadLetterTopic);
        KafkaBatch.Outcome outcome;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("results").setInitialMax(requests.size())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed().build()) {
            outcome = batch.run(requests, Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(3), r -> bar.step());
        } catch (KafkaBatch.BatchFailedException e) {
            System.err.println("\n" + e.getMessage());
            System.err.println(BatchReport.of(questions, requestIds, e.partial(), registry).render());
            return 1;
        }
        BatchReport report = BatchReport.of(questions, requestIds, outcome, registry);
        System.out.println(report.render());
        if (!report.duplicates().isEmpty()) {
            System.err.println("some questions got more than one result record: " + report.duplicates());
            return 3;
        }
        return 0;
    }

    private static String countsByTask(List<Question> questions) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        questions.forEach(q -> counts.merge(q.task(), 1, Integer::sum));
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(java.util.stream.Collectors.joining(", "));
    }
}
