package io.ttsmesh.verifier.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.ttsmesh.proto.verifier.Candidate;
import io.ttsmesh.proto.verifier.ScoreRequest;
import io.ttsmesh.proto.verifier.ScoreResponse;
import io.ttsmesh.proto.verifier.VerifierGrpc;
import io.ttsmesh.runtime.BundledModels;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A pod configured onto the Qwen2.5-Math-PRM-style fixture's float16 graph (tts.verifier.model.graph-file) serving
 * the free-text task math: its PRM scores equal the float16 reference, and "rules" (which math has no rule checker
 * for) is refused with INVALID_ARGUMENT saying so.
 */
@QuarkusTest
@TestProfile(MathPodOnFloat16PrmTest.Float16Prm.class)
class MathPodOnFloat16PrmTest {

    public static class Float16Prm implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tts.verifier.model.dir", BundledModels.fixture("qwen2-prm").toString(),
                    "tts.verifier.model.graph-file", "model_fp16.onnx",
                    "tts.verifier.model.convention", "qwen2.5-math-prm",
                    "tts.verifier.task", "math",
                    "tts.verifier.cache.enabled", "false");
        }
    }

    @GrpcClient("self")
    VerifierGrpc.VerifierBlockingStub verifier;

    @Test
    void scoresTheFloat16GraphAndRefusesRulesForMath() throws Exception {
        Path prm = BundledModels.fixture("qwen2-prm");
        JsonNode all = new ObjectMapper().readTree(Files.readString(prm.resolve("reference.json")));
        JsonNode reference = all.get("float16");
        JsonNode float32 = all.get("prm").get("cases");
        double tolerance = reference.get("tolerance").asDouble();
        double awayFromFloat32 = 0;
        int k = 0;
        for (JsonNode c : reference.get("prm").get("cases")) {
            JsonNode full = float32.get(k++);
            List<String> steps = new ArrayList<>();
            c.get("steps").forEach(s -> steps.add(s.asText()));
            ScoreResponse r = verifier.scoreSteps(request("prm", c.get("question").asText(), steps));
            List<Float> scores = r.getResults(0).getStepScoresList();
            assertThat(scores).hasSize(c.get("scores").size());
            for (int i = 0; i < scores.size(); i++) {
                assertThat((double) scores.get(i)).isCloseTo(c.get("scores").get(i).asDouble(), within(tolerance));
                awayFromFloat32 = Math.max(awayFromFloat32, Math.abs(scores.get(i) - full.get("scores").get(i).asDouble()));
            }
        }
        // model.onnx (float32) equals its reference within 4.4e-7: a larger gap shows the float16 graph ran
        assertThat(awayFromFloat32).as("the configured graph-file, not model.onnx, was loaded").isGreaterThan(1e-5);
        assertThatThrownBy(() -> verifier.scoreSteps(request("rules", "What is 2+2?", List.of("2+2 = 4"))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("task 'math' has no rule checker");
                });
    }

    private static ScoreRequest request(String verifierName, String question, List<String> steps) {
        return ScoreRequest.newBuilder().setRequestId("math-fp16").setVerifier(verifierName).setTask("math")
                .setQuestion(question).addCandidates(Candidate.newBuilder().setId("c").addAllSteps(steps)).build();
    }
}
