package io.ttsmesh.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Deadline;
import io.ttsmesh.mesh.local.ChildProcess;
import io.ttsmesh.mesh.local.JavaCommand;
import io.ttsmesh.mesh.local.MeshStartException;
import io.ttsmesh.mesh.local.ServiceProcess;
import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.local.MeshPorts;
import io.ttsmesh.mesh.local.MeshService;
import io.ttsmesh.proto.events.Budget;
import io.ttsmesh.proto.events.Method;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.events.StopReason;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.OrchestratorGrpc;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.proto.orchestrator.SamplingOptions;
import io.ttsmesh.task.Task;
import io.ttsmesh.task.TaskRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local mesh as real processes on the Qwen2-shaped fixture pair, every service pointed at it by configuration
 * alone: the generator on models/fixtures/qwen2 (Optimum's merged decoder, blank-line steps), the verifier on
 * models/fixtures/qwen2-prm (convention qwen2.5-math-prm), the orchestrator prompting with the generator model's
 * chat template, and all of it serving the free-text task math ({@code tts.orchestrator.task=math},
 * {@code tts.verifier.task=math}), as a user pointing the mesh at Qwen2.5-Math would. Random weights, so the answers
 * are noise; the plumbing is checked: a free-text question is accepted, the prompt is the template's render of it
 * (its token count, as jinja2 and the Python BPE counted), steps end only at the blank line, every completed step has
 * a PRM score, the budget holds, the search's events stream from the first to the result; self-consistency votes
 * over the math task's canonical keys; "rules" (math has no rule checker) is refused before any work.
 */
class FixtureMeshIT {

    private static final String MATH = "math";

    @Test
    void theMathTaskRunsOnTheQwen2FixturePair() throws Exception {
        MeshLayout layout = MeshLayout.discover();
        Path fixtures = layout.repo().resolve("models/fixtures");
        JsonNode mesh = new ObjectMapper().readTree(Files.readString(fixtures.resolve("qwen2/reference.json"))).get("mesh_math");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        LocalMesh.Options options = new LocalMesh.Options(layout).ports(MeshPorts.free(List.of(TaskRegistry.DEFAULT)))
                .readyTimeout(Duration.ofSeconds(240)).out(new PrintStream(log, true, StandardCharsets.UTF_8))
                .serviceProperty(MeshService.GENERATOR, "tts.generator.model-dir", fixtures.resolve("qwen2").toString())
                .serviceProperty(MeshService.GENERATOR, "tts.generator.graph-file", "decoder_model_merged.onnx")
                .serviceProperty(MeshService.GENERATOR, "tts.generator.step-delimiter", "\n\n")
                .serviceProperty(MeshService.VERIFIER, "tts.verifier.model.dir", fixtures.resolve("qwen2-prm").toString())
                .serviceProperty(MeshService.VERIFIER, "tts.verifier.model.convention", "qwen2.5-math-prm")
                .serviceProperty(MeshService.VERIFIER, "tts.verifier.task", MATH)
                .serviceProperty(MeshService.ORCHESTRATOR, "tts.orchestrator.task", MATH)
                .serviceProperty(MeshService.ORCHESTRATOR, "tts.orchestrator.search.solution-tokens", "160")
                .serviceProperty(MeshService.ORCHESTRATOR, "tts.orchestrator.prompt.chat-template",
                        fixtures.resolve("qwen2").toString())
                .serviceProperty(MeshService.ORCHESTRATOR, "tts.orchestrator.search.step-delimiter", "\n\n")
                .serviceProperty(MeshService.ORCHESTRATOR, "tts.orchestrator.search.step-tokens", "24");
        try (LocalMesh running = options.start()) {
            System.out.print(log);
            SolveRequest request = SolveRequest.newBuilder().setRequestId("fixture-mesh")
                    .setQuestion(mesh.get("question").asText())
                    .setStrategy(Method.newBuilder().setName("beam_search").putParams("n", "4").putParams("width", "2"))
                    .setBudget(Budget.newBuilder().setMaxTokens(400).setMaxVerifierCalls(200).setDeadlineMs(120_000))
                    .setVerifier("prm").setDetail(Detail.STEPS).build();
            Iterator<SearchEvent> stream = OrchestratorGrpc.newBlockingStub(running.orchestratorChannel())
                    .withDeadline(Deadline.after(180, TimeUnit.SECONDS)).solve(request);
            List<SearchEvent> events = new ArrayList<>();
            stream.forEachRemaining(events::add);

            assertThat(events).isNotEmpty();
            SearchEvent last = events.getLast();
            assertThat(last.hasSearchFinished()).as("the stream ends with the result").isTrue();
            SolveResult result = last.getSearchFinished().getResult();
            assertThat(result.getStopReason()).as(result.getStopDetail()).isNotEqualTo(StopReason.FAILED);
            assertThat(events).filteredOn(SearchEvent::hasBranchesStarted).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.getBranchesStarted().getPromptTokens())
                            .as("the prompt is the chat template's render of the question")
                            .isEqualTo(mesh.get("prompt_tokens").asInt()));
            List<SearchEvent> steps = events.stream().filter(SearchEvent::hasStep).toList();
            assertThat(steps).isNotEmpty();
            for (SearchEvent e : steps) {
                String text = e.getStep().getText();
                int inner = text.indexOf("\n\n");
                assertThat(inner == -1 || (e.getStep().getEnd().equals("delimiter") && inner == text.length() - 2))
                        .as("a step holds no blank line except the delimiter that ends it: %s", text).isTrue();
            }
            List<SearchEvent> scores = events.stream().filter(SearchEvent::hasScored).toList();
            assertThat(scores).isNotEmpty()
                    .allSatisfy(s -> assertThat(s.getScored().getScore()).isBetween(0f, 1f));
            // A search the token budget stopped ends inside an extend: the steps that call completed are not scored
            // (the search stops there). Which steps those are depends on the generator's batching, so on timing.
            boolean budgetStopped = result.getStopReason() == StopReason.TOKEN_BUDGET;
            Map<Long, Integer> lastStep = new HashMap<>();
            steps.forEach(e -> lastStep.merge(e.getStep().getBranchId(), e.getStep().getStepIndex(), Math::max));
            for (SearchEvent e : steps) {
                String end = e.getStep().getEnd();
                boolean cutShort = budgetStopped && e.getStep().getStepIndex() == lastStep.get(e.getStep().getBranchId());
                if (!end.equals("quota") && !end.equals("cancelled") && !cutShort) {
                    assertThat(scores).as("a PRM score for branch %d step %d", e.getStep().getBranchId(),
                            e.getStep().getStepIndex()).anyMatch(s -> s.getScored().getBranchId() == e.getStep().getBranchId()
                            && s.getScored().getStepIndex() == e.getStep().getStepIndex());
                }
            }
            assertThat(result.getSpend().getGeneratedTokens()).as("token budget").isLessThanOrEqualTo(400);
            assertThat(result.getSpend().getVerifierCalls()).isPositive().isLessThanOrEqualTo(200);
            System.out.printf("fixture mesh (processes): %s after %d tokens, %d verifier calls, %d steps, %d scores%n",
                    result.getStopReason(), result.getSpend().getGeneratedTokens(), result.getSpend().getVerifierCalls(),
                    steps.size(), scores.size());
            selfConsistencyVotesOverTheMathKeys(running, mesh.get("question").asText(), mesh.get("prompt_tokens").asInt());
            assertThatThrownBy(() -> OrchestratorGrpc.newBlockingStub(running.orchestratorChannel())
                    .withDeadline(Deadline.after(30, TimeUnit.SECONDS))
                    .solve(request.toBuilder().setRequestId("fixture-mesh-rules").setVerifier("rules").build())
                    .forEachRemaining(e -> { }))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).contains("task math has no rule checker");
                    });
            for (ChildProcess child : running.children()) {
                assertThat(child.isAlive()).as(child.name() + " still up").isTrue();
            }
        }
    }

    /**
     * Self-consistency over the free-text question: every finished branch's answer is the math task's key of its
     * text (recomputed here with the task-math jar the orchestrator runs), the tallies count those keys, the answer
     * is the most voted one. The question is sent with spaces and a line break around it: the task normalizes it.
     */
    private static void selfConsistencyVotesOverTheMathKeys(LocalMesh running, String question, int promptTokens)
            throws Exception {
        SolveRequest request = SolveRequest.newBuilder().setRequestId("fixture-mesh-sc").setQuestion("  " + question + "\n")
                .setStrategy(Method.newBuilder().setName("self_consistency").putParams("n", "6"))
                .setBudget(Budget.newBuilder().setMaxTokens(1000).setMaxVerifierCalls(0).setDeadlineMs(120_000))
                .setSampling(SamplingOptions.newBuilder().setSeed(11)).setDetail(Detail.STEPS).build();
        List<SearchEvent> events = new ArrayList<>();
        OrchestratorGrpc.newBlockingStub(running.orchestratorChannel()).withDeadline(Deadline.after(180, TimeUnit.SECONDS))
                .solve(request).forEachRemaining(events::add);
        SolveResult result = events.getLast().getSearchFinished().getResult();
        assertThat(result.getStopReason()).as(result.getStopDetail()).isNotEqualTo(StopReason.FAILED);
        assertThat(result.getSpend().getGeneratedTokens()).isLessThanOrEqualTo(1000);
        assertThat(result.getSpend().getVerifierCalls()).isZero();
        assertThat(events).filteredOn(SearchEvent::hasBranchesStarted).isNotEmpty()
                .allSatisfy(e -> assertThat(e.getBranchesStarted().getPromptTokens())
                        .as("the question as written (spaces, a line break) is normalized before the template renders it")
                        .isEqualTo(promptTokens));

        Task math = deployedTask(MATH);
        Map<Long, StringBuilder> texts = new TreeMap<>();
        events.stream().filter(SearchEvent::hasStep).forEach(e -> texts.computeIfAbsent(e.getStep().getBranchId(),
                id -> new StringBuilder()).append(e.getStep().getText()));
        List<SearchEvent> finished = events.stream().filter(SearchEvent::hasFinished).toList();
        assertThat(finished).isNotEmpty().hasSizeLessThanOrEqualTo(6);
        Map<String, Integer> votes = new TreeMap<>();
        Map<String, Integer> ends = new TreeMap<>();
        for (SearchEvent e : finished) {
            String text = texts.getOrDefault(e.getFinished().getBranchId(), new StringBuilder()).toString();
            String key = math.answerKey(text);
            assertThat(e.getFinished().getAnswer()).as("branch %d: %s", e.getFinished().getBranchId(), text)
                    .isEqualTo(key == null ? "" : key);
            // voters: the solutions that ended by themselves (a branch the search stopped does not vote)
            String end = e.getFinished().getEnd();
            ends.merge(end, 1, Integer::sum);
            if (key != null && !end.equals("stopped") && !end.equals("low_confidence")) {
                votes.merge(key, 1, Integer::sum);
            }
        }
        assertThat(votes).as("solutions that stated an answer and voted (ends %s)", ends).isNotEmpty();
        Map<String, Integer> tallied = new TreeMap<>();
        result.getAnswersList().forEach(t -> tallied.put(t.getAnswer(), t.getVotes()));
        assertThat(tallied).isEqualTo(votes);
        if (!votes.isEmpty()) {
            int most = votes.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertThat(votes.get(result.getAnswer())).as("the answer has the most votes").isEqualTo(most);
        }
        System.out.printf("fixture mesh, self-consistency on math: answer '%s', votes %s, ends %s, %d tokens%n",
                result.getAnswer(), votes, ends, result.getSpend().getGeneratedTokens());
    }

    /** The task plug-in as the orchestrator runs it: found by ServiceLoader in the orchestrator's own libraries. */
    private static Task deployedTask(String name) throws Exception {
        Path lib = MeshLayout.discover().serviceJar(MeshService.ORCHESTRATOR).resolveSibling("lib").resolve("main");
        List<URL> jars = new ArrayList<>();
        try (var files = Files.list(lib)) {
            for (Path jar : files.filter(f -> f.getFileName().toString().startsWith("io.ttsmesh.task-math-")).toList()) {
                jars.add(jar.toUri().toURL());
            }
        }
        assertThat(jars).as("task-math in " + lib).hasSize(1);
        URLClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), Task.class.getClassLoader());
        return ServiceLoader.load(Task.class, loader).stream().map(ServiceLoader.Provider::get)
                .filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * A pod pointed at a model directory of the wrong layout exits at start, its readiness never UP, and its log
     * names the file and the key at fault: a generator on a graph without past inputs, a verifier with an unknown
     * convention.
     */
    @Test
    void podsOnAWrongLayoutNeverTurnReadyAndSayWhy(@TempDir Path work) {
        MeshLayout layout = MeshLayout.discover();
        Path fixtures = layout.repo().resolve("models/fixtures");
        JavaCommand java = new JavaCommand(layout.watchdogAgent(), work);
        record Broken(MeshService service, Map<String, String> properties, List<String> said) {
        }
        List<Broken> cases = List.of(
                new Broken(MeshService.GENERATOR, Map.of("tts.generator.model-dir", fixtures.resolve("qwen2-prm").toString()),
                        List.of(fixtures.resolve("qwen2-prm/model.onnx").toString(), "missing input past_key_values.0.key")),
                new Broken(MeshService.VERIFIER, Map.of("tts.verifier.model.dir", fixtures.resolve("qwen2-prm").toString(),
                        "tts.verifier.model.convention", "skywork-prm"),
                        List.of("scoring convention 'skywork-prm' (tts.verifier.model.convention)")));
        for (Broken broken : cases) {
            int[] ports = MeshPorts.freePorts(2);
            ServiceProcess pod = ServiceProcess.launch(broken.service().displayName() + "-broken",
                    layout.serviceJar(broken.service()), java, broken.properties(), ports[0], ports[1],
                    work.resolve(broken.service().displayName() + ".log"), work);
            try {
                assertThatThrownBy(() -> pod.awaitReady(Duration.ofSeconds(120))).isInstanceOf(MeshStartException.class)
                        .hasMessageContaining("exited with status");
                String log = pod.child().logTail(400);
                for (String fragment : broken.said()) {
                    assertThat(log).as(broken.service() + " log").contains(fragment);
                }
            } finally {
                pod.child().stop(Duration.ofSeconds(10));
            }
        }
    }
}
