package io.ttsmesh.orchestrator;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.orchestrator.api.SolveRequests;
import io.ttsmesh.orchestrator.testing.ScriptedMeshResource;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The orchestrator with the Kafka plane off (no broker anywhere): it boots, is ready once the mesh answers, and solves. */
@QuarkusTest
@WithTestResource(ScriptedMeshResource.class)
class BootTest {

    @Inject
    Vertx vertx;

    /** The event loops run on Netty's epoll transport, bundled for Linux x86_64 (quarkus.vertx.prefer-native-transport). */
    @Test
    void runsOnTheNativeTransport() {
        assertThat(vertx.isNativeTransportEnabled()).as("Vert.x on epoll").isTrue();
        // the pods' gRPC clients (grpc-netty) take epoll whenever it loads
        assertThat(io.netty.channel.epoll.Epoll.isAvailable()).as("epoll for the gRPC clients").isTrue();
    }

    @GrpcClient("self")
    HealthGrpc.HealthBlockingStub health;

    @Test
    void runsWithoutKafkaAndIsReadyOnceGeneratorsAndVerifiersAnswer() {
        await().atMost(20, TimeUnit.SECONDS).until(() -> given().get("/q/health/ready").statusCode() == 200);
        given().get("/q/health/ready").then().body(containsString("generators reachable"));
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        given().contentType(ContentType.JSON).body(SolveRequests.bestOfNJson("boot-1", "1+2", 2))
                .when().post("/v1/solve")
                .then().statusCode(200).body("answer", equalTo("3"));

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("tts_orchestrator_searches_running"))
                .body(containsString("tts_orchestrator_search_duration_seconds_count{stop_reason=\"COMPLETED\",strategy=\"best_of_n\"}"))
                .body(containsString("tts_orchestrator_search_generated_tokens"))
                .body(containsString("tts_orchestrator_events_dropped_total 0.0"));
    }
}
