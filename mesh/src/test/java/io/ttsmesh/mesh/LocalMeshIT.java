package io.ttsmesh.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ttsmesh.mesh.batch.KafkaBatch;
import io.ttsmesh.mesh.batch.ResultRecords;
import io.ttsmesh.mesh.broker.KafkaBroker;
import io.ttsmesh.mesh.local.ChildProcess;
import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.local.MeshPorts;
import io.ttsmesh.mesh.local.MeshService;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;
import io.ttsmesh.mesh.up.SolveDemo;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.ListStrategiesRequest;
import io.ttsmesh.proto.orchestrator.MethodInfo;
import io.ttsmesh.proto.orchestrator.OrchestratorGrpc;
import io.ttsmesh.proto.orchestrator.ParamInfo;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.task.Task;
import io.ttsmesh.task.TaskRegistry;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The mesh end to end, as users run it: a Kafka broker (KRaft), a generator and a verifier per task (arithmetic
 * and countdown, each with its own models) and the orchestrator routing each task to its pods, as real processes
 * from their built jars, started once for the class on free ports. The batch sizes are small for CI;
 * -Dttsmesh.it.batch=200 runs the 200-question batch. Services killed mid-batch (each of the four, two
 * overlapping, exactly one result per question) are ChaosIT's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalMeshIT {

    private static final Pattern ANSWER_LINE = Pattern.compile("(?m)^A: -?\\d+$");
    /** Countdown's vote key: the steps "a op b = c", sorted, joined by ",". */
    private static final Pattern COUNTDOWN_KEY = Pattern.compile("\\d+[-+*/]\\d+=\\d+(,\\d+[-+*/]\\d+=\\d+)*");
    /** A Countdown line: a step with the numbers left ("9-7=2; 3 2 2") or the answer line ("A: 24"). */
    private static final Pattern COUNTDOWN_LINE = Pattern.compile("\\d+[-+*/]\\d+=\\d+; \\d+( \\d+)*|A: \\d+");
    private static final List<String> TASKS = List.of("arithmetic", "countdown");
    /** A JVM option of every service (a benchmark gives its JIT thresholds this way); inert here. */
    private static final String JVM_OPTION = "-Dtts.local-mesh-it.jvm-option=on";
    private static final int COUNTDOWN_BATCH = 4;
    private static final int BATCH = Integer.getInteger("ttsmesh.it.batch", 20);
    private static final SearchSpec BATCH_SEARCH = new SearchSpec("best_of_n", Map.of("n", "2"), 2000, 32, 120_000);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalMesh mesh;
    private static List<Question> heldOut;
    private static List<Question> countdown;
    private static final ByteArrayOutputStream startLog = new ByteArrayOutputStream();

    @BeforeAll
    static void startMesh() {
        MeshLayout layout = MeshLayout.discover();
        TaskRegistry tasks = TaskRegistry.load();
        heldOut = QuestionFile.first(layout.heldout("arithmetic"), BATCH + 20, tasks);
        countdown = QuestionFile.first(layout.heldout("countdown"), COUNTDOWN_BATCH + 1, tasks);
        long t0 = System.nanoTime();
        mesh = new LocalMesh.Options(layout).ports(MeshPorts.free(TASKS)).broker(KafkaBroker::new).readyTimeout(Duration.ofSeconds(240))
                .jvmOptions(List.of(JVM_OPTION)).out(new PrintStream(startLog, true, StandardCharsets.UTF_8)).start();
        System.out.printf("mesh of %s ready in %.1f s%n%s", mesh.tasks(), (System.nanoTime() - t0) / 1e9, startLog);
    }

    @AfterAll
    static void stopMesh() {
        if (mesh != null) {
            mesh.close();
            for (ChildProcess child : mesh.children()) {
                assertThat(child.isAlive()).as(child.name() + " stopped").isFalse();
            }
        }
    }

    private static OrchestratorGrpc.OrchestratorBlockingStub orchestrator() {
        return OrchestratorGrpc.newBlockingStub(mesh.orchestratorChannel()).withDeadline(Deadline.after(180, TimeUnit.SECONDS));
    }

    @Test
    @Order(1)
    void everyStrategyAnswersWithinItsBudgetAndTheSpendAgreesWithTheServicesOwnCounters() {
        List<MethodInfo> strategies = orchestrator().listStrategies(ListStrategiesRequest.getDefaultInstance()).getStrategiesList();
        assertThat(strategies).extracting(MethodInfo::getName)
                .contains("best_of_n", "weighted_best_of_n", "self_consistency", "beam_search", "dvts", "particle_filter",
                        "first_finish", "best_first", "mcts");
        Question q = heldOut.getFirst();
        for (MethodInfo strategy : strategies) {
            SearchSpec spec = new SearchSpec(strategy.getName(), smallParams(strategy), 3000, 64, 120_000);
            ServiceCounters before = ServiceCounters.read(mesh, "arithmetic");
            SolveResult result = solve("a-" + strategy.getName().replace('_', '-'), q.question(), spec);
            String what = strategy.getName() + " " + SolveDemo.spend(result.getSpend()) + " stop " + result.getStopReason();

            assertThat(result.getSolution()).as(what).containsPattern(ANSWER_LINE);
            assertThat(result.getAnswer()).as(what).matches("-?\\d+");
            assertThat(result.getSpend().getGeneratedTokens()).as(what).isPositive().isLessThanOrEqualTo(spec.maxTokens());
            assertThat(result.getSpend().getVerifierCalls()).as(what).isLessThanOrEqualTo(spec.maxVerifierCalls());
            assertThat(result.getSpend().getWallMs()).as(what).isLessThanOrEqualTo(spec.deadlineMs());
            if (strategy.getNeedsVerifier()) {
                assertThat(result.getSpend().getVerifierCalls()).as(what).isPositive();
            }
            // The services count for themselves; the search's account must agree with them exactly.
            ServiceCounters delta = awaitCounters("arithmetic", before, result);
            System.out.printf("%-20s %s; generator counted %.0f generated + %.0f prefill, verifier %.0f scored%n",
                    strategy.getName(), what, delta.generatedTokens(), delta.prefillTokens(), delta.verifierScored());
            assertThat((long) delta.generatedTokens()).as(what + ": generator's generated tokens").isEqualTo(result.getSpend().getGeneratedTokens());
            assertThat((long) delta.prefillTokens()).as(what + ": generator's prefill tokens").isEqualTo(result.getSpend().getPrefillTokens());
            assertThat((long) delta.verifierScored()).as(what + ": verifier's scored candidates").isEqualTo((long) result.getSpend().getVerifierCalls());
        }
    }

    /** The counters move a little after the result (the services record their spend as they finish): wait for them. */
    private static ServiceCounters awaitCounters(String task, ServiceCounters before, SolveResult result) {
        ServiceCounters spent = new ServiceCounters(result.getSpend().getGeneratedTokens(), result.getSpend().getPrefillTokens(),
                result.getSpend().getVerifierCalls());
        try {
            return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> ServiceCounters.read(mesh, task).minus(before), spent::equals);
        } catch (ConditionTimeoutException e) {
            return ServiceCounters.read(mesh, task).minus(before);
        }
    }

    /** Small N for every strategy: n=4 and narrow widths / few expansions, within each parameter's range. */
    private static Map<String, String> smallParams(MethodInfo strategy) {
        Map<String, String> small = Map.of("n", "4", "width", "2", "k", "2", "max_expansions", "8", "iterations", "8");
        Map<String, String> params = new LinkedHashMap<>();
        for (ParamInfo p : strategy.getParamsList()) {
            if (small.containsKey(p.getName()) && p.getType().equals("int")) {
                params.put(p.getName(), small.get(p.getName()));
            }
        }
        return params;
    }

    private static SolveResult solve(String requestId, String question, SearchSpec spec) {
        return solve(requestId, null, question, spec);
    }

    private static SolveResult solve(String requestId, String task, String question, SearchSpec spec) {
        Iterator<SearchEvent> events = orchestrator().solve(spec.request(requestId, task, question, Detail.DECISIONS));
        long last = -1;
        while (events.hasNext()) {
            SearchEvent e = events.next();
            assertThat(e.getRequestId()).isEqualTo(requestId);
            assertThat(e.getSequence()).as("progress events in order").isGreaterThan(last);
            last = e.getSequence();
            if (e.hasSearchFinished()) {
                return e.getSearchFinished().getResult();
            }
        }
        return fail("the Solve stream of " + requestId + " ended without a result");
    }

    @Test
    @Order(2)
    void aStockOpenAiJavaClientGetsAnAnswerFromTheChatCompletionsFacade() {
        Question q = heldOut.get(1);
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(mesh.httpBase(MeshService.ORCHESTRATOR) + "v1")
                .apiKey("not-checked").maxRetries(0).timeout(Duration.ofSeconds(120)).build();
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("tts-mesh/weighted_best_of_n")
                .addUserMessage(q.question())
                .maxCompletionTokens(3000)
                .putAdditionalBodyProperty("tts_params", JsonValue.from(Map.of("n", 4)))
                .putAdditionalBodyProperty("tts_budget", JsonValue.from(Map.of("max_verifier_calls", 64, "deadline_ms", 60000)))
                .build());
        String content = completion.choices().getFirst().message().content().orElseThrow();
        assertThat(content).containsPattern(ANSWER_LINE);
        var usage = completion.usage().orElseThrow();
        assertThat(usage.completionTokens()).isPositive().isLessThanOrEqualTo(3000);
        assertThat(completion.model()).isEqualTo("tts-mesh/weighted_best_of_n");
    }

    @Test
    @Order(3)
    void kcatReadsTheSearchEventsAsCloudEventsKeyedAndOrderedByRequest() throws Exception {
        String id = "e-kcat-" + System.currentTimeMillis();
        SolveResult result = solve(id, heldOut.get(2).question(), new SearchSpec("beam_search", Map.of("n", "4", "width", "2"), 3000, 64, 120_000));
        assertThat(result.getSolution()).containsPattern(ANSWER_LINE);

        List<JsonNode> events = awaitKcatEvents(id);
        assertThat(events).as("CloudEvents of " + id + " on tts.events").hasSizeGreaterThan(3);
        long lastSequence = -1;
        for (JsonNode e : events) {
            assertThat(e.path("specversion").asText()).isEqualTo("1.0");
            assertThat(e.path("type").asText()).startsWith("io.ttsmesh.search.");
            assertThat(e.path("subject").asText()).isEqualTo(id);
            assertThat(e.path("source").asText()).isNotEmpty();
            assertThat(e.path("id").asText()).isNotEmpty();
            assertThat(e.path("data").path("request_id").asText()).isEqualTo(id);
            long sequence = e.path("data").path("sequence").asLong();
            assertThat(sequence).as("events of one request in order").isGreaterThan(lastSequence);
            lastSequence = sequence;
        }
        assertThat(events.getFirst().path("type").asText()).isEqualTo("io.ttsmesh.search.started");
        assertThat(events.getLast().path("type").asText()).isEqualTo("io.ttsmesh.search.search_finished");
        assertThat(events.getLast().path("data").path("search_finished").path("result").path("answer").asText())
                .isEqualTo(result.getAnswer());
    }

    /** The events of {@code id} on tts.events, read with kcat until the search's last one is there. */
    private static List<JsonNode> awaitKcatEvents(String id) {
        // Events are published asynchronously (bounded buffer).
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> kcatEvents(id), events -> !events.isEmpty()
                        && events.getLast().path("type").asText().equals("io.ttsmesh.search.search_finished"));
    }

    /** {@code kcat -C -t tts.events -e -o beginning}, key and value per line; the events keyed {@code id}. */
    private static List<JsonNode> kcatEvents(String id) throws Exception {
        Process kcat;
        try {
            kcat = new ProcessBuilder("kcat", "-b", mesh.bootstrapServers(), "-C", "-t", "tts.events", "-e", "-o", "beginning",
                    "-q", "-f", "%k\\t%s\\n").redirectErrorStream(false).start();
        } catch (java.io.IOException e) {
            return fail("kcat is needed (Debian: apt-get install kcat; .ci/run installs it): " + e.getMessage());
        }
        kcat.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(kcat.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(kcat.getErrorStream()));
        if (!kcat.waitFor(60, TimeUnit.SECONDS)) {
            kcat.destroyForcibly();
            return fail("kcat did not reach the end of tts.events in 60 s");
        }
        assertThat(kcat.exitValue()).as("kcat exit status; stderr: " + err.get()).isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : out.get().split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0 && line.substring(0, tab).equals(id)) {
                events.add(JSON.readTree(line.substring(tab + 1)));
            }
        }
        return events;
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @Order(4)
    void aCountdownQuestionIsSolvedOnTheCountdownPodsWithTheRuleCheckerStackedOnThePrm() throws Exception {
        Question q = countdown.getFirst();
        String id = "cd-beam-" + System.currentTimeMillis();
        SearchSpec spec = new SearchSpec("beam_search", Map.of("n", "4", "width", "2"), 3000, 64, 120_000).withVerifier("rules+prm");
        ServiceCounters countdownBefore = ServiceCounters.read(mesh, "countdown");
        ServiceCounters arithmeticBefore = ServiceCounters.read(mesh, "arithmetic");
        SolveResult result = solve(id, "countdown", q.question(), spec);
        String what = q.question() + " -> " + result.getSolution().strip().replace("\n", " | ") + " (answer '" + result.getAnswer()
                + "') " + SolveDemo.spend(result.getSpend()) + " stop " + result.getStopReason();
        System.out.println("countdown beam_search rules+prm: " + what);

        assertThat(result.getAnswer()).as(what).satisfiesAnyOf(
                a -> assertThat(a).isEmpty(), a -> assertThat(a).matches(COUNTDOWN_KEY));
        List<String> lines = Task.steps(result.getSolution()).stream().map(String::strip).toList();
        assertThat(lines).as(what).isNotEmpty().allSatisfy(line -> assertThat(line).matches(COUNTDOWN_LINE));
        assertThat(result.getSpend().getGeneratedTokens()).as(what).isPositive().isLessThanOrEqualTo(spec.maxTokens());
        assertThat(result.getSpend().getVerifierCalls()).as(what).isPositive().isLessThanOrEqualTo(spec.maxVerifierCalls());
        assertThat(result.getSpend().getWallMs()).as(what).isLessThanOrEqualTo(spec.deadlineMs());
        // The countdown pods did the work, exactly as the search accounts for it; the arithmetic pods did none.
        ServiceCounters delta = awaitCounters("countdown", countdownBefore, result);
        assertThat((long) delta.generatedTokens()).as(what + ": countdown generator's tokens").isEqualTo(result.getSpend().getGeneratedTokens());
        assertThat((long) delta.prefillTokens()).as(what + ": countdown generator's prefill").isEqualTo(result.getSpend().getPrefillTokens());
        assertThat((long) delta.verifierScored()).as(what + ": countdown verifier's scored candidates")
                .isEqualTo((long) result.getSpend().getVerifierCalls());
        assertThat(ServiceCounters.read(mesh, "arithmetic").minus(arithmeticBefore)).as("arithmetic pods untouched")
                .isEqualTo(new ServiceCounters(0, 0, 0));

        // The events on tts.events say which task they belong to, and carry the canonical question.
        List<JsonNode> events = awaitKcatEvents(id);
        JsonNode started = events.getFirst().path("data").path("started");
        assertThat(started.path("task").asText()).as(events.getFirst().toString()).isEqualTo("countdown");
        assertThat(started.path("question").asText()).isEqualTo(q.question());

        // An arithmetic request that names its task, in the same mesh, still gets its answer line.
        SolveResult arithmetic = solve("cd-arith-" + System.currentTimeMillis(), "arithmetic", heldOut.get(3).question(),
                new SearchSpec("best_of_n", Map.of("n", "2"), 2000, 32, 120_000));
        assertThat(arithmetic.getSolution()).containsPattern(ANSWER_LINE);
    }

    @Test
    @Order(5)
    void aCountdownQuestionWithSixNumbersIsRefusedNamingQuestionNumbers() {
        SolveRequest request = new SearchSpec("beam_search", Map.of("n", "4"), 3000, 64, 60_000).withVerifier("rules+prm")
                .request("cd-six-" + System.currentTimeMillis(), "countdown", "3 7 9 2 5 6 -> 24", Detail.DECISIONS);
        assertThatThrownBy(() -> orchestrator().solve(request).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("question.numbers");
                });
    }

    @Test
    @Order(6)
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aKafkaBatchOfBothTasksGetsExactlyOneResultPerQuestion() {
        // Countdown records carry their task: without it the orchestrator would read "3 7 9 2 -> 24" as arithmetic
        // and refuse it (tts.requests.dlq), which fails the batch.
        List<Question> questions = new ArrayList<>(heldOut.subList(0, BATCH));
        questions.addAll(countdown.subList(1, 1 + COUNTDOWN_BATCH));
        Map<String, Integer> counts = runBatch("c", questions);
        assertThat(counts).hasSize(BATCH + COUNTDOWN_BATCH).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
    }

    @Test
    @Order(7)
    void everyServiceStartsWithTheMeshsJvmOptions() {
        List<ChildProcess> services = new ArrayList<>();
        for (String task : mesh.tasks()) {
            services.add(mesh.service(MeshService.GENERATOR, task).child());
            services.add(mesh.service(MeshService.VERIFIER, task).child());
        }
        services.add(mesh.service(MeshService.ORCHESTRATOR).child());
        assertThat(services).hasSize(2 * TASKS.size() + 1).allSatisfy(child ->
                assertThat(child.handle().info().arguments().orElseThrow()).as(child.name()).contains(JVM_OPTION));
    }

    /**
     * Sends the questions through tts.requests and waits for every result, then counts the result records per
     * request id, reading tts.results from the beginning.
     */
    private static Map<String, Integer> runBatch(String tag, List<Question> questions) {
        String run = tag + "-" + Long.toString(System.currentTimeMillis(), 36);
        List<SolveRequest> requests = questions.stream()
                .map(q -> BATCH_SEARCH.request(run + "." + q.id(), q.task(), q.question(), Detail.RESULT_ONLY)).toList();
        KafkaBatch.Outcome outcome = new KafkaBatch(mesh.bootstrapServers(), "tts.requests", "tts.results", "tts.requests.dlq")
                .run(requests, Duration.ofMinutes(12), Duration.ofSeconds(3), r -> { });
        assertThat(outcome.results()).hasSize(questions.size());
        // Every result is a real search's (the provisional models do not always write an answer line, so the format
        // is checked by the strategy test, not here).
        outcome.results().values().forEach(r -> assertThat(r.getSpend().getGeneratedTokens()).as(r.getRequestId()).isPositive());
        return ResultRecords.countPerKey(mesh.bootstrapServers(), "tts.results", requests.stream().map(SolveRequest::getRequestId).toList());
    }
}
