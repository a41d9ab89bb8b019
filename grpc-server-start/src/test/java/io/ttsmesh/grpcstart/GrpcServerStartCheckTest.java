package io.ttsmesh.grpcstart;

import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcServerStartCheckTest {

    @Test
    void aServingServerPasses() {
        assertThatCode(() -> GrpcServerStartCheck.requireServing(
                Map.of("", ServingStatus.SERVING, "tts.Generator", ServingStatus.SERVING), "localhost:9081"))
                .doesNotThrowAnyException();
    }

    @Test
    void aServerThatNeverListenedStopsTheStartAndSaysWhere() {
        assertThatThrownBy(() -> GrpcServerStartCheck.requireServing(Map.of(), "localhost:9081 (quarkus.grpc.server.port)"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("did not start on localhost:9081 (quarkus.grpc.server.port)")
                .hasMessageContaining("unset");
    }

    @Test
    void onlyTheOverallStatusCounts() {
        assertThatThrownBy(() -> GrpcServerStartCheck.requireServing(
                Map.of("", ServingStatus.NOT_SERVING, "tts.Generator", ServingStatus.SERVING), "localhost:9081"))
                .hasMessageContaining("NOT_SERVING");
    }
}
