package io.ttsmesh.mesh.up;

import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;
import io.ttsmesh.mesh.MeshOptions;
import io.ttsmesh.mesh.SearchOptions;
import io.ttsmesh.mesh.SearchSpec;
import io.ttsmesh.mesh.local.ChildProcess;
import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.local.MeshPorts;
import io.ttsmesh.mesh.local.MeshService;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.Task;
import io.ttsmesh.task.TaskRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code tts-mesh up}: start the local mesh, solve a demo question of each task, stay up until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts a Kafka broker (KRaft), per task (--task) a generator and a verifier with that task's models, and "
                + "the orchestrator routing each task to its pods, as child processes; solves a demo question of each task "
                + "through gRPC, then stays up until Ctrl-C, which stops everything.",
                "Other commands: tts-mesh batch (a question file through Kafka), tts-mesh failover (the crash check)."})
public class UpCommand implements Callable<Integer> {

    @Mixin
    MeshOptions mesh;
    @Mixin
    SearchOptions search;
    @Option(names = "--question", description = "the demo question, of the first task that accepts it (default: the first of "
            + "each task's held-out set)")
    String question;
    @Option(names = "--progress-lines", defaultValue = "12", description = "progress events printed (default: ${DEFAULT-VALUE})")
    int progressLines;
    @Option(names = "--no-wait", description = "stop after the demo instead of staying up")
    boolean noWait;

    @Override
    public Integer call() throws Exception {
        TaskRegistry registry = TaskRegistry.load();
        List<String> tasks = mesh.tasks(registry, List.of(TaskRegistry.DEFAULT));
        MeshLayout layout = MeshLayout.discover();
        layout.requireModels(tasks);
        List<Question> demos = demoQuestions(registry, layout, tasks);
        try (LocalMesh running = mesh.toOptions(layout, tasks).start()) {
            SolveDemo demo = new SolveDemo(running.orchestratorChannel(), System.out, progressLines);
            for (Question q : demos) {
                SearchSpec spec = search.spec(q.task());
                SolveResult result = demo.solve("demo-" + q.task() + "-" + Long.toString(System.currentTimeMillis(), 36),
                        q.task(), q.question(), spec);
                boolean correct = registry.get(q.task()).grade(q.question(), result.getSolution(), q.answer()).correct();
                System.out.printf("""

                        Task:     %s
                        Answer:   %s   (%s)
                        Solution: %s
                        Spend:    %s
                        Stopped:  %s %s
                        """,
                        q.task(), result.getAnswer().isEmpty() ? "(none)" : result.getAnswer(),
                        correct ? "correct" : "not correct" + (q.answer() != null ? ", the reference answer is " + q.answer() : ""),
                        result.getSolution().strip().replace("\n", " | "), SolveDemo.spend(result.getSpend()),
                        result.getStopReason(), result.getStopDetail());
            }
            printHints(System.out, running, demos);
            if (noWait) {
                return 0;
            }
            System.out.println("Press Ctrl-C to stop the mesh.");
            return watch(running);
        }
    }

    /** {@code --question} as a question of the first task that accepts it, or the first held-out question of each task. */
    private List<Question> demoQuestions(TaskRegistry registry, MeshLayout layout, List<String> tasks) {
        if (question == null) {
            return tasks.stream().map(t -> QuestionFile.first(layout.heldout(t), 1, registry).getFirst()).toList();
        }
        List<String> refusals = new ArrayList<>();
        for (String name : tasks) {
            Task task = registry.get(name);
            try {
                return List.of(new Question("demo", name, task.canonicalQuestion(question), null, null));
            } catch (InvalidQuestion e) {
                refusals.add(name + ": " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("--question '" + question + "' is not a question of " + String.join(" or ", tasks)
                + " (" + String.join("; ", refusals) + ")");
    }

    /** Where to look, and a request of each task by every door (REST, OpenAI, gRPC, Kafka). */
    private void printHints(PrintStream out, LocalMesh running, List<Question> demos) {
        MeshPorts p = running.ports();
        out.printf("""

                The mesh is up (tasks: %s):
                  orchestrator  gRPC localhost:%d, REST/OpenAI http://localhost:%d/v1/ (model tts-mesh/<task>/<strategy>)
                  monitor       http://localhost:%d/monitor/
                  events        kcat -b localhost:%d -C -t tts.events
                  logs          %s
                """, String.join(", ", running.tasks()), p.orchestratorGrpc(), p.orchestratorHttp(), p.orchestratorHttp(),
                p.kafka(), running.service(MeshService.ORCHESTRATOR).child().log().getParent());
        for (Question q : demos) {
            SearchSpec spec = search.spec(q.task());
            String verifier = spec.verifier() == null ? "" : ", \"verifier\": \"" + spec.verifier() + "\"";
            String json = "{\"request_id\": \"try-" + q.task() + "-1\", \"task\": \"" + q.task() + "\", \"question\": \""
                    + q.question() + "\", \"strategy\": {\"name\": \"beam_search\", \"params\": {\"n\": \"8\"}}" + verifier
                    + ", \"budget\": {\"max_tokens\": 4000, \"max_verifier_calls\": 400, \"deadline_ms\": 30000}}";
            out.printf("""

                    Try %s:
                      curl -s localhost:%d/v1/solve -H 'Content-Type: application/json' -d '%s'
                      curl -s localhost:%d/v1/chat/completions -H 'Content-Type: application/json' -d '{"model": "tts-mesh/%s/weighted_best_of_n", "messages": [{"role": "user", "content": "%s"}], "tts_params": {"n": 8}}'
                      grpcurl -plaintext -d '%s' localhost:%d ttsmesh.orchestrator.v1.Orchestrator/Solve
                      bash .ci/mesh batch --bootstrap localhost:%d --file %s --limit 200
                    """, q.task(), p.orchestratorHttp(), json, p.orchestratorHttp(), q.task(), q.question(),
                    json, p.orchestratorGrpc(), p.kafka(), running.layout().repo().relativize(running.layout().heldout(q.task())));
        }
    }

    /**
     * Stays up while every child runs; a child that dies ends the launcher (and so the rest) with its log's tail.
     * Ctrl-C runs the mesh's shutdown hook, which stops the children on purpose: no failure, nothing printed here.
     */
    private static int watch(LocalMesh running) throws InterruptedException {
        ChildProcess died = running.awaitUnexpectedExit();
        if (died == null) {
            return 0;
        }
        System.err.println(died.failure("exited unexpectedly; stopping the mesh").getMessage());
        return 1;
    }
}
