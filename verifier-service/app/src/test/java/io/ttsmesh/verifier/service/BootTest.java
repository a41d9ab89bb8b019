package io.ttsmesh.verifier.service;

import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthGrpc;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
class BootTest {

    @Inject
    Vertx vertx;

    /** The event loops run on Netty's epoll transport, bundled for Linux x86_64 (quarkus.vertx.prefer-native-transport). */
    @Test
    void runsOnTheNativeTransport() {
        assertThat(vertx.isNativeTransportEnabled()).as("Vert.x on epoll").isTrue();
    }

    @GrpcClient("self")
    HealthGrpc.HealthBlockingStub health;

    @Test
    void servesHealthAndMetrics() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }
}
