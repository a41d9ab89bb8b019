package io.ttsmesh.orchestrator.api;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.orchestrator.testing.KafkaBrokerResource;
import io.ttsmesh.orchestrator.testing.ScriptedMeshResource;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import io.ttsmesh.orchestrator.solving.SearchService;
import jakarta.inject.Inject;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** REST (JSON and server-sent events) and the OpenAI-compatible facade, the latter driven by the official OpenAI Java SDK. */
@QuarkusTest
@WithTestResource(ScriptedMeshResource.class)
@WithTestResource(KafkaBrokerResource.class)
class HttpApiTest {

    @TestHTTPResource("/v1")
    URL v1;

    @Inject
    SearchService searches;

    @Test
    void solveAnswersWithTheResultAsJson() {
        given().contentType(ContentType.JSON).body(SolveRequests.bestOfNJson("rest-1", "3+4", 4))
                .when().post("/v1/solve")
                .then().statusCode(200)
                .body("request_id", equalTo("rest-1"))
                .body("answer", equalTo("7"))
                .body("stop_reason", equalTo("COMPLETED"))
                .body("spend.generated_tokens", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]*"))
                .body("solution", containsString("A: 7"));
    }

    @Test
    void solveStreamsProgressAsServerSentEvents() {
        String body = given().contentType(ContentType.JSON).accept("text/event-stream")
                .body(SolveRequests.bestOfNJson("rest-sse-1", "3+4", 2))
                .when().post("/v1/solve")
                .then().statusCode(200).extract().asString().replace("event: ", "event:");
        assertThat(body).contains("event:started", "event:step", "event:search_finished", "\"answer\":\"7\"");
        assertThat(body.indexOf("event:started")).isLessThan(body.indexOf("event:search_finished"));
    }

    @Test
    void theSseIdsAreGapFreeAtTheDefaultDetailAndJsonWritesEqualsSignsPlainly() {
        // DECISIONS, the default: steps and scores are left out, and the ids still count 1, 2, 3, ...
        String request = ProtoJson.print(SolveRequests.bestOfN("rest-sse-seq", "3+4", 2).toBuilder()
                .setDetail(io.ttsmesh.proto.orchestrator.Detail.DECISIONS).build());
        String body = given().contentType(ContentType.JSON).accept("text/event-stream").body(request)
                .when().post("/v1/solve")
                .then().statusCode(200).extract().asString();
        List<Long> ids = body.lines().filter(l -> l.startsWith("id:")).map(l -> Long.parseLong(l.substring(3).strip())).toList();
        assertThat(ids).isNotEmpty().containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, ids.size()).boxed().toList());
        assertThat(body).doesNotContain("event:step", "event: step");

        String result = given().contentType(ContentType.JSON).body(SolveRequests.bestOfNJson("rest-equals", "3+4", 2))
                .when().post("/v1/solve").then().statusCode(200).extract().asString();
        assertThat(result).contains("3+4=7").doesNotContain("\\u003d");
    }

    @Test
    void computeOptimalRunsOnTheShippedTable() {
        // application.properties names the table tts-bench report learned; without one the policy is refused.
        var request = SolveRequests.bestOfN("rest-co-1", "3+4", 4).toBuilder()
                .addPolicies(io.ttsmesh.proto.events.Method.newBuilder().setName("compute_optimal"))
                .build();
        given().contentType(ContentType.JSON).body(io.ttsmesh.orchestrator.api.ProtoJson.print(request))
                .when().post("/v1/solve")
                .then().statusCode(200)
                .body("answer", equalTo("7"));
    }

    @Test
    void badRequestsGet400NamingTheField() {
        given().contentType(ContentType.JSON).body("{\"request_id\":\"rest-bad\",\"question\":\"1+1\",\"strategy\":{\"name\":\"best_of_n\"}}")
                .when().post("/v1/solve")
                .then().statusCode(400)
                .body("error.code", equalTo("INVALID_ARGUMENT"))
                .body("error.field", equalTo("budget"));
        given().contentType(ContentType.JSON).body("{\"request_id\": 12, \"unknown_field\": true}")
                .when().post("/v1/solve")
                .then().statusCode(400).body("error.code", equalTo("INVALID_ARGUMENT"));
        given().contentType(ContentType.JSON).body("not json at all")
                .when().post("/v1/solve")
                .then().statusCode(400);
    }

    @Test
    void anUnknownTaskOrACountdownQuestionOutsideItsSchemaGets400NamingTheField() {
        // field named in the answer, then the request's task and question
        List<List<String>> cases = List.of(
                List.of("task", "chess", "3 5 8 -> 16"),
                List.of("question.numbers", "countdown", "3 5 8 1 2 4 -> 16"),
                List.of("question.numbers", "countdown", "{\\\"numbers\\\":[3,13,8],\\\"target\\\":16}"),
                List.of("question.target", "countdown", "3 5 8 -> 100"));
        for (List<String> c : cases) {
            given().contentType(ContentType.JSON)
                    .body("{\"task\":\"" + c.get(1) + "\",\"question\":\"" + c.get(2) + "\",\"request_id\":\"rest-bad-task\","
                            + "\"strategy\":{\"name\":\"best_of_n\"},\"budget\":{\"max_tokens\":100,\"max_verifier_calls\":10,\"deadline_ms\":1000}}")
                    .when().post("/v1/solve")
                    .then().statusCode(400)
                    .body("error.code", equalTo("INVALID_ARGUMENT"))
                    .body("error.field", equalTo(c.get(0)));
        }
        given().contentType(ContentType.JSON)
                .body("{\"task\":\"chess\",\"question\":\"e4\",\"request_id\":\"rest-bad-task\",\"strategy\":{\"name\":\"best_of_n\"},"
                        + "\"budget\":{\"max_tokens\":100,\"max_verifier_calls\":10,\"deadline_ms\":1000}}")
                .when().post("/v1/solve")
                .then().statusCode(400).body("error.message", containsString("known: arithmetic, countdown, math"));
    }

    @Test
    void aCountdownRequestOverRestRunsOnTheCountdownPods() {
        String body = ProtoJson.print(SolveRequests.bestOfN("rest-countdown-1", "{\"numbers\": [3, 5, 8], \"target\": 16}", 2)
                .toBuilder().setTask("countdown").build());
        given().contentType(ContentType.JSON).body(body)
                .when().post("/v1/solve")
                .then().statusCode(200)
                .body("answer", equalTo("3+5=8,8+8=16"))
                .body("solution", containsString("A: 16"));
        assertThat(ScriptedMeshResource.countdownGenerator.received())
                .anySatisfy(c -> assertThat(c.getRequestId()).isEqualTo("rest-countdown-1"));
        given().when().get("/v1/strategies").then().statusCode(200)
                .body("tasks.name", org.hamcrest.Matchers.contains("arithmetic", "countdown"));
    }

    @Test
    void theOpenAiFacadeNamesTheTaskInTheModelOrInTtsParams() {
        OpenAIClient client = openAi();
        ChatCompletion byModel = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("tts-mesh/countdown/best_of_n")
                .addUserMessage("3 5 8 -> 16")
                .putAdditionalBodyProperty("tts_params", JsonValue.from(Map.of("n", 2)))
                .putAdditionalBodyProperty("tts_request_id", JsonValue.from("openai-countdown-1"))
                .build());
        assertThat(byModel.choices().getFirst().message().content().orElseThrow()).endsWith("A: 16");
        assertThat(byModel.model()).isEqualTo("tts-mesh/countdown/best_of_n");
        assertThat(byModel._additionalProperties().get("tts").convert(Map.class).get("answer")).isEqualTo("3+5=8,8+8=16");

        Completion byParams = client.completions().create(CompletionCreateParams.builder()
                .model(CompletionCreateParams.Model.of("best_of_n"))
                .prompt("3 5 8 -> 16")
                .putAdditionalBodyProperty("tts_params", JsonValue.from(Map.of("n", 2, "task", "countdown")))
                .putAdditionalBodyProperty("tts_request_id", JsonValue.from("openai-countdown-2"))
                .build());
        assertThat(byParams.choices().getFirst().text()).endsWith("A: 16");
        assertThat(ScriptedMeshResource.countdownGenerator.received().stream().map(c -> c.getRequestId()))
                .contains("openai-countdown-1", "openai-countdown-2");

        assertThat(client.models().list().data()).extracting(m -> m.id())
                .contains("tts-mesh/beam_search", "tts-mesh/countdown/beam_search", "tts-mesh/arithmetic/beam_search");
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("tts-mesh/chess/best_of_n").addUserMessage("e4").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("task: unknown task 'chess'"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("tts-mesh/countdown/best_of_n").addUserMessage("3 5 8 -> 16")
                .putAdditionalBodyProperty("tts_params", JsonValue.from(Map.of("task", "arithmetic"))).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("tts_params.task"));
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("tts-mesh/countdown/best_of_n").addUserMessage("3 5 8 -> 100").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("question.target"));
        given().contentType(ContentType.JSON).body("{\"model\":\"tts-mesh/countdown/x/best_of_n\",\"prompt\":\"3 5 8 -> 16\"}")
                .when().post("/v1/completions").then().statusCode(400).body("error.param", equalTo("model"));
    }

    @Test
    void strategiesAndJobs() {
        given().when().get("/v1/strategies").then().statusCode(200)
                .body("strategies.name", hasItem("beam_search"));
        given().contentType(ContentType.JSON).body(SolveRequests.bestOfNJson("rest-job-1", "5+5", 2))
                .when().post("/v1/jobs").then().statusCode(202).body("request_id", equalTo("rest-job-1"));
        await().atMost(20, TimeUnit.SECONDS).until(() ->
                "DONE".equals(given().get("/v1/jobs/rest-job-1").then().statusCode(200).extract().path("state")));
        given().get("/v1/jobs/rest-job-1").then().body("result.answer", equalTo("10"));
        given().get("/v1/jobs/nope").then().statusCode(404).body("error.field", equalTo("request_id"));
    }

    @Test
    void aClientThatDisconnectsStopsItsSearch() throws Exception {
        ScriptedMeshResource.generatorA.stepDelayMs(3000);
        ScriptedMeshResource.generatorB.stepDelayMs(3000);
        try {
            for (String accept : List.of("application/json", "text/event-stream")) {
                HttpClient client = HttpClient.newHttpClient();
                var response = client.sendAsync(HttpRequest.newBuilder(v1.toURI().resolve("/v1/solve"))
                                .header("Content-Type", "application/json").header("Accept", accept)
                                .POST(HttpRequest.BodyPublishers.ofString(SolveRequests.bestOfNJson("rest-gone-" + accept.length(), "2+3", 2)))
                                .build(), HttpResponse.BodyHandlers.ofInputStream());
                await().atMost(10, TimeUnit.SECONDS).until(() -> searches.admission().running() == 1 && liveBranches() > 0);
                response.cancel(true);
                client.shutdownNow();
                await().atMost(10, TimeUnit.SECONDS).until(() -> searches.admission().running() == 0 && liveBranches() == 0);
            }
        } finally {
            ScriptedMeshResource.generatorA.stepDelayMs(0);
            ScriptedMeshResource.generatorB.stepDelayMs(0);
        }
    }

    private static int liveBranches() {
        return ScriptedMeshResource.generatorA.liveBranches() + ScriptedMeshResource.generatorB.liveBranches();
    }

    private OpenAIClient openAi() {
        return OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey("not-checked").maxRetries(0).build();
    }

    @Test
    void aStockOpenAiClientGetsAnAnswerWithRealUsage() {
        OpenAIClient client = openAi();
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("tts-mesh/best_of_n")
                .addUserMessage("2+3") // the arithmetic task reads an expression, nothing around it
                .maxCompletionTokens(3000)
                .putAdditionalBodyProperty("tts_params", JsonValue.from(Map.of("n", 4)))
                .putAdditionalBodyProperty("tts_budget", JsonValue.from(Map.of("max_verifier_calls", 50, "deadline_ms", 20000)))
                .build());
        String content = completion.choices().getFirst().message().content().orElseThrow();
        assertThat(content).contains("A: 5");
        assertThat(completion.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        var usage = completion.usage().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> tts = (Map<String, Object>) completion._additionalProperties().get("tts").convert(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> spend = (Map<String, Object>) tts.get("spend");
        assertThat(usage.completionTokens()).isPositive().isEqualTo(Long.parseLong(spend.get("generated_tokens").toString()));
        assertThat(usage.promptTokens()).isEqualTo(Long.parseLong(spend.get("prefill_tokens").toString()));
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());

        Completion text = client.completions().create(CompletionCreateParams.builder()
                .model(CompletionCreateParams.Model.of("self_consistency"))
                .prompt("4+5")
                .maxTokens(3000)
                .putAdditionalBodyProperty("tts_params", JsonValue.from(Map.of("n", 2)))
                .build());
        assertThat(text.choices().getFirst().text()).contains("A: ");

        assertThat(client.models().list().data()).anySatisfy(m -> assertThat(m.id()).isEqualTo("tts-mesh/beam_search"));

        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("tts-mesh/no_such_strategy").addUserMessage("2+3").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("strategy.name"));
    }
}
