package io.ttsmesh.mesh.local;

import io.ttsmesh.mesh.HeldOutQuestion;
import io.ttsmesh.mesh.SearchOptions;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.testbed.Grader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code tts-mesh up}: start the local mesh, solve a demo question, stay up until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts a Kafka broker (KRaft) and the generator, verifier and orchestrator as child processes with the "
                + "bundled models, solves a demo question through gRPC, then stays up until Ctrl-C, which stops everything."})
public class UpCommand implements Callable<Integer> {

    @Mixin
    MeshOptions mesh;
    @Mixin
    SearchOptions search;
    @Option(names = "--question", description = "the demo question (default: the first of the held-out set)")
    String question;
    @Option(names = "--progress-lines", defaultValue = "12", description = "progress events printed (default: ${DEFAULT-VALUE})")
    int progressLines;
    @Option(names = "--no-wait", description = "stop after the demo instead of staying up")
    boolean noWait;

    @Override
    public Integer call() throws Exception {
        MeshLayout layout = MeshLayout.discover();
        HeldOutQuestion demo = question != null ? new HeldOutQuestion("demo", question, null)
                : HeldOutQuestion.read(layout.heldout(), 1).getFirst();
        try (LocalMesh running = mesh.toOptions(layout).start()) {
            SolveResult result = new SolveDemo(running.orchestratorChannel(), System.out, progressLines)
                    .solve("demo-" + Long.toString(System.currentTimeMillis(), 36), demo.question(), search.spec());
            boolean correct = Grader.grade(demo.question(), demo.answer(), result.getSolution()).answerCorrect();
            MeshPorts p = running.ports();
            System.out.printf("""

                    Answer:   %s   (%s)
                    Solution: %s
                    Spend:    %s
                    Stopped:  %s %s

                    The mesh is up:
                      orchestrator  gRPC localhost:%d, REST/OpenAI http://localhost:%d/v1/ (model tts-mesh/<strategy>)
                      monitor       http://localhost:%d/monitor/
                      events        kcat -b localhost:%d -C -t tts.events
                      batch         java -jar mesh/target/tts-mesh.jar batch --bootstrap localhost:%d --limit 200
                      logs          %s
                    """,
                    result.getAnswer(), correct ? "correct" : "not the reference answer " + referenceAnswer(demo),
                    result.getSolution().strip().replace("\n", " | "), SolveDemo.spend(result.getSpend()),
                    result.getStopReason(), result.getStopDetail(),
                    p.orchestratorGrpc(), p.orchestratorHttp(), p.orchestratorHttp(), p.kafka(), p.kafka(),
                    running.service(MeshService.ORCHESTRATOR).log().getParent());
            if (noWait) {
                return 0;
            }
            System.out.println("Press Ctrl-C to stop the mesh.");
            return watch(running);
        }
    }

    private static String referenceAnswer(HeldOutQuestion q) {
        return q.answer() != null ? q.answer() : "(computed by the grader)";
    }

    /** Stays up while every child runs; a child that dies ends the launcher (and so the rest) with its log's tail. */
    private static int watch(LocalMesh running) throws InterruptedException {
        while (true) {
            for (ChildProcess child : List.of(running.broker().process(), running.service(MeshService.GENERATOR),
                    running.service(MeshService.VERIFIER), running.service(MeshService.ORCHESTRATOR))) {
                if (!child.isAlive()) {
                    System.err.println(child.failure("exited unexpectedly; stopping the mesh").getMessage());
                    return 1;
                }
            }
            Thread.sleep(Duration.ofSeconds(1));
        }
    }
}
