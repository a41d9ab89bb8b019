package io.ttsmesh.orchestrator.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.ttsmesh.proto.orchestrator.OrchestratorGrpc;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

/**
 * An orchestrator whose default task is countdown ({@code tts.orchestrator.task=countdown}) and that serves no
 * other: requests naming no task are Countdown questions on the top-level pods; arithmetic is refused on "task".
 */
@QuarkusTest
@TestProfile(CountdownOnlyProfile.class)
class CountdownDefaultTaskTest {

    private static final String QUESTION = "3 5 8 -> 16";

    @GrpcClient("self")
    OrchestratorGrpc.OrchestratorBlockingStub orchestrator;

    @Test
    void aRequestNamingNoTaskIsSolvedAsCountdownOnTheTopLevelPods() {
        given().contentType(ContentType.JSON).body(SolveRequests.bestOfNJson("cd-default-rest", QUESTION, 2))
                .when().post("/v1/solve")
                .then().statusCode(200)
                .body("stop_reason", equalTo("COMPLETED"))
                .body("answer", equalTo("3+5=8,8+8=16"))
                .body("solution", containsString("A: 16"));

        var stream = orchestrator.solve(SolveRequests.bestOfN("cd-default-grpc", QUESTION, 2));
        io.ttsmesh.proto.events.SearchEvent last = null;
        String startedTask = null;
        while (stream.hasNext()) {
            last = stream.next();
            if (last.hasStarted()) {
                startedTask = last.getStarted().getTask();
            }
        }
        assertThat(startedTask).isEqualTo("countdown");
        assertThat(last.getSearchFinished().getResult().getAnswer()).isEqualTo("3+5=8,8+8=16");

        assertThat(CountdownOnlyProfile.Pods.generator.received().stream().map(c -> c.getRequestId()))
                .contains("cd-default-rest", "cd-default-grpc");
        assertThat(CountdownOnlyProfile.Pods.verifier.tasks()).isNotEmpty().containsOnly("countdown");
        given().when().get("/v1/strategies").then().statusCode(200).body("tasks.name", contains("countdown"));
    }

    @Test
    void theOpenAiFacadesUnnamedTaskIsCountdown() {
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"tts-mesh/best_of_n\",\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}],"
                        + "\"tts_params\":{\"n\":2},\"tts_request_id\":\"cd-default-openai\"}")
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .body("choices[0].message.content", endsWith("A: 16"))
                .body("tts.answer", equalTo("3+5=8,8+8=16"));
    }

    @Test
    void aRequestNamingArithmeticIsRefusedOnTaskNamingTheServedOnes() {
        String body = ProtoJson.print(SolveRequests.bestOfN("cd-arith-rest", "3+4", 2).toBuilder().setTask("arithmetic").build());
        given().contentType(ContentType.JSON).body(body)
                .when().post("/v1/solve")
                .then().statusCode(400)
                .body("error.code", equalTo("INVALID_ARGUMENT"))
                .body("error.field", equalTo("task"))
                .body("error.message", containsString("task arithmetic is not served here (served: countdown)"));

        SolveRequest request = SolveRequests.bestOfN("cd-arith-grpc", "3+4", 2).toBuilder().setTask("arithmetic").build();
        assertThatThrownBy(() -> orchestrator.solve(request).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("task").contains("served: countdown");
                });
        // Unnamed, an arithmetic question is read as Countdown and refused as one.
        given().contentType(ContentType.JSON).body(SolveRequests.bestOfNJson("cd-arith-unnamed", "3+4", 2))
                .when().post("/v1/solve")
                .then().statusCode(400).body("error.field", equalTo("question"));
        assertThat(CountdownOnlyProfile.Pods.generator.received().stream().map(c -> c.getRequestId()))
                .doesNotContain("cd-arith-rest", "cd-arith-grpc", "cd-arith-unnamed");
    }
}
