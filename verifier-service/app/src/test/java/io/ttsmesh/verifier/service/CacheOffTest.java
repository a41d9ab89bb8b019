package io.ttsmesh.verifier.service;

import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.ttsmesh.proto.verifier.VerifierGrpc;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The same equality with the prefix cache off and small batches (more padding splits, more runs). */
@QuarkusTest
@TestProfile(CacheOffTest.NoCache.class)
class CacheOffTest {

    public static class NoCache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tts.verifier.cache.enabled", "false", "tts.verifier.batch.max-size", "5",
                    "tts.verifier.batch.max-padding", "0.1");
        }
    }

    @GrpcClient("self")
    VerifierGrpc.VerifierBlockingStub verifier;

    @Test
    void concurrentCallsEqualDirectOnnxRuntimeWithoutTheCache() throws Exception {
        int compared = ConcurrentScoring.assertEqualsReference(verifier, ConcurrentScoring.items(4), 8, 8);
        assertThat(compared).isGreaterThan(50);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).doesNotContain("tts_verifier_cache_bytes");
    }
}
