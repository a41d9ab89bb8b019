package io.ttsmesh.mesh.batch;

import io.ttsmesh.mesh.HeldOutQuestion;
import io.ttsmesh.mesh.SearchOptions;
import io.ttsmesh.mesh.SearchSpec;
import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.local.MeshOptions;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.SolveRequest;
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

    @Option(names = "--file", description = "JSONL of {id, question, answer} (default: models/eval/heldout.jsonl)")
    Path file;
    @Option(names = "--limit", defaultValue = "200", description = "questions from the file (default: ${DEFAULT-VALUE})")
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

    @Override
    public Integer call() {
        MeshLayout layout = bootstrap == null ? MeshLayout.discover() : null;
        Path questionsFile = file != null ? file : (layout != null ? layout.heldout() : Path.of("models/eval/heldout.jsonl"));
        List<HeldOutQuestion> questions = HeldOutQuestion.read(questionsFile, limit);
        if (questions.isEmpty()) {
            System.err.println("no questions in " + questionsFile);
            return 2;
        }
        if (bootstrap != null) {
            return run(bootstrap, questions);
        }
        try (LocalMesh running = mesh.toOptions(layout).start()) {
            return run(running.bootstrapServers(), questions);
        }
    }

    private int run(String bootstrapServers, List<HeldOutQuestion> questions) {
        SearchSpec spec = search.spec();
        // A fresh prefix per run: the orchestrator answers a request id only once (idempotence), so a rerun of
        // the same file must not reuse the ids of an earlier run.
        String run = "batch-" + Long.toString(System.currentTimeMillis(), 36);
        Map<String, String> requestIds = new LinkedHashMap<>();
        List<SolveRequest> requests = new ArrayList<>();
        for (HeldOutQuestion q : questions) {
            String id = run + "." + q.id();
            requestIds.put(q.id(), id);
            requests.add(spec.request(id, q.question(), Detail.RESULT_ONLY));
        }
        System.out.printf("Batch %s: %d questions from %s through %s at %s, %s%n",
                run, questions.size(), file != null ? file : "the held-out set", requestsTopic, bootstrapServers, spec);
        KafkaBatch batch = new KafkaBatch(bootstrapServers, requestsTopic, resultsTopic, deadLetterTopic);
        KafkaBatch.Outcome outcome;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("results").setInitialMax(requests.size())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed().build()) {
            outcome = batch.run(requests, Duration.ofSeconds(timeoutSeconds), Duration.ofSeconds(3), r -> bar.step());
        } catch (KafkaBatch.BatchFailedException e) {
            System.err.println("\n" + e.getMessage());
            System.err.println(BatchReport.of(questions, requestIds, e.partial()).render());
            return 1;
        }
        BatchReport report = BatchReport.of(questions, requestIds, outcome);
        System.out.println(report.render());
        if (!report.duplicates().isEmpty()) {
            System.err.println("some questions got more than one result record: " + report.duplicates());
            return 3;
        }
        return 0;
    }
}
