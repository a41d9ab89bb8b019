package io.ttsmesh.orchestrator.degraded;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.ttsmesh.orchestrator.api.ProtoJson;
import io.ttsmesh.proto.events.Budget;
import io.ttsmesh.proto.events.Method;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.events.StopReason;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.OrchestratorGrpc;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyString;

/**
 * Degraded mode end to end: the orchestrator's only verifier pod is killed while a beam search over gRPC Solve
 * waits for its next scores; the search answers by an unscored vote, flagged DEGRADED in the result (gRPC, REST,
 * OpenAI's tts), with a degraded_mode event and a metric; a request that forbids it ends UNAVAILABLE as before.
 * The methods run in order: the first kills the verifier, the others run without one.
 */
@QuarkusTest
@TestProfile(DegradedModeProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DegradedModeTest {

    @GrpcClient("self")
    OrchestratorGrpc.OrchestratorBlockingStub orchestrator;

    private static SolveRequest beam(String id) {
        return SolveRequest.newBuilder()
                .setRequestId(id)
                .setQuestion("3+4")
                .setStrategy(Method.newBuilder().setName("beam_search").putParams("n", "4").putParams("width", "2"))
                .setBudget(Budget.newBuilder().setMaxTokens(5000).setMaxVerifierCalls(200).setDeadlineMs(30_000))
                .setDetail(Detail.DECISIONS)
                .build();
    }

    private List<SearchEvent> solve(SolveRequest request) {
        List<SearchEvent> events = new ArrayList<>();
        orchestrator.solve(request).forEachRemaining(events::add);
        return events;
    }

    @Test
    @Order(1)
    void aVerifierKilledMidSearchGivesAnAnswerFlaggedDegraded() throws Exception {
        // steps arrive slowly (branch k after 150 ms x k), so the second scoring call comes after the kill
        DegradedModeProfile.Pods.generator.stepDelayMs(150);
        List<SearchEvent> events = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> done = CompletableFuture.runAsync(
                () -> orchestrator.solve(beam("degraded-killed")).forEachRemaining(events::add));
        // killed once it has answered a call (killed while answering, that call would fail and nothing be scored)
        await().atMost(20, TimeUnit.SECONDS).until(() -> DegradedModeProfile.Pods.verifier.answered() >= 1);
        DegradedModeProfile.Pods.verifier.close(); // shutdownNow: the pod is gone
        done.get(30, TimeUnit.SECONDS);
        DegradedModeProfile.Pods.generator.stepDelayMs(0);

        SolveResult result = events.get(events.size() - 1).getSearchFinished().getResult();
        assertThat(result.getStopReason()).as(result.getStopDetail()).isEqualTo(StopReason.DEGRADED);
        assertThat(result.getErrorCode()).isZero();
        assertThat(result.getStopDetail()).contains("degraded mode: no verifier answered").contains("UNAVAILABLE");
        assertThat(result.getAnswer()).isIn("7", "8");
        assertThat(result.getAnswers(0).getAnswer()).isEqualTo(result.getAnswer());
        assertThat(result.getSpend().getVerifierCalls()).isPositive(); // the verifier did score before it went
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getDecision().getPolicy()).isEqualTo("degraded_mode");
            assertThat(e.getDecision().getAction()).isEqualTo("unscored_vote");
        });
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("tts_orchestrator_searches_degraded_total{strategy=\"beam_search\"} 1.0"));
    }

    @Test
    @Order(2)
    void forbiddenOverGrpcItEndsUnavailableAsBefore() {
        List<SearchEvent> events = solve(beam("degraded-forbidden").toBuilder().setAllowDegraded(false).build());
        SolveResult result = events.get(events.size() - 1).getSearchFinished().getResult();
        assertThat(result.getStopReason()).as(result.getStopDetail()).isEqualTo(StopReason.FAILED);
        assertThat(result.getErrorCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE.value());
        assertThat(events).noneMatch(e -> e.getDecision().getPolicy().equals("degraded_mode"));
    }

    @Test
    @Order(3)
    void restAndOpenAiSayDegradedAndMayForbidIt() {
        given().contentType(ContentType.JSON).body(ProtoJson.print(beam("degraded-rest")))
                .when().post("/v1/solve")
                .then().statusCode(200)
                .body("stop_reason", equalTo("DEGRADED"))
                .body("answer", not(emptyString()));

        String chat = "{\"model\":\"tts-mesh/beam_search\",\"messages\":[{\"role\":\"user\",\"content\":\"3+4\"}],"
                + "\"tts_params\":{\"n\":4,\"width\":2%s},\"tts_request_id\":\"%s\"}";
        given().contentType(ContentType.JSON).body(chat.formatted("", "degraded-openai"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .body("tts.stop_reason", equalTo("DEGRADED"))
                .body("choices[0].message.content", containsString("A: "));
        given().contentType(ContentType.JSON).body(chat.formatted(",\"allow_degraded\":false", "degraded-openai-forbidden"))
                .when().post("/v1/chat/completions")
                .then().statusCode(503)
                .body("error.message", containsString("UNAVAILABLE"));
        given().contentType(ContentType.JSON).body(chat.formatted(",\"allow_degraded\":\"maybe\"", "degraded-openai-bad"))
                .when().post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.param", equalTo("tts_params.allow_degraded"));
    }
}
