package io.ttsmesh.verifier.prm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.runtime.ExecutionProvider;
import io.ttsmesh.runtime.ModelDirectory;
import io.ttsmesh.task.TaskRegistry;
import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.task.math.MathTask;
import io.ttsmesh.verifier.ScoringRequest;
import io.ttsmesh.verifier.VerifierEngine;
import io.ttsmesh.verifier.batching.BatchSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The Qwen2.5-Math-PRM- and Math-Shepherd-style fixtures (models/fixtures, real Qwen2/Llama bodies, byte-level
 * BPE) scored through the verifier engine as a pod builds it from its model directory and convention name: the
 * input ids, the score positions and the scores are PyTorch's (within 1e-4).
 */
class RealPrmParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static VerifierEngine engine(Path dir, String convention, long cacheBytes) {
        return VerifierEngine.builder().modelDir(dir).convention(convention).batch(BatchSettings.DEFAULTS)
                .cacheBytes(cacheBytes).intraOpThreads(1).tasks(new TaskRegistry(List.of(new MathTask())))
                .task(MathTask.NAME).build();
    }

    @ParameterizedTest
    @CsvSource({"qwen2-prm, qwen2.5-math-prm", "math-shepherd-prm, math-shepherd"})
    void scoresAtEverySeparatorArePyTorchs(String fixture, String convention) throws Exception {
        Path dir = BundledModels.fixture(fixture);
        JsonNode ref = JSON.readTree(Files.readString(dir.resolve("reference.json")));
        double tolerance = ref.get("tolerance").asDouble();
        try (PrmModel model = PrmModel.open(ModelDirectory.open(dir), ScoringConvention.load(convention),
                ExecutionProvider.CPU, 1, 0)) {
            assertThat(model.encoder().scoreTokenId()).isEqualTo(ref.get("prm").get("score_token_id").asInt());
            for (JsonNode c : ref.get("prm").get("cases")) {
                List<String> steps = new ArrayList<>();
                c.get("steps").forEach(s -> steps.add(s.asText()));
                EncodedCandidate e = model.encoder().encode(model.encoder().question(c.get("question").asText()), steps);
                long[] ids = new long[c.get("input_ids").size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = c.get("input_ids").get(i).asLong();
                }
                int[] positions = new int[c.get("score_positions").size()];
                for (int i = 0; i < positions.length; i++) {
                    positions[i] = c.get("score_positions").get(i).asInt();
                }
                // the engine stops at the last score token (the model is causal: what follows changes no score)
                assertThat(e.tokens()).as("input ids")
                        .containsExactly(java.util.Arrays.copyOf(ids, positions[positions.length - 1] + 1));
                assertThat(e.scorePositions()).as("score positions").containsExactly(positions);
            }
        }
        for (long cacheBytes : new long[] {0, 1L << 20}) {
            try (VerifierEngine engine = engine(dir, convention, cacheBytes)) {
                double worst = 0;
                for (JsonNode c : ref.get("prm").get("cases")) {
                    List<String> steps = new ArrayList<>();
                    c.get("steps").forEach(s -> steps.add(s.asText()));
                    List<CandidateInput> in = new ArrayList<>();
                    in.add(CandidateInput.allSteps("all", steps));
                    for (int k = 1; k <= steps.size(); k++) {
                        in.add(CandidateInput.newestStep("k" + k, steps.subList(0, k)));
                    }
                    List<CandidateResult> out = engine.score(new ScoringRequest("r", "prm", c.get("question").asText(),
                            in, MathTask.NAME), Instant.now().plusSeconds(30)).join();
                    float[] all = out.getFirst().scores();
                    assertThat(all).hasSize(steps.size());
                    for (int j = 0; j < all.length; j++) {
                        double want = c.get("scores").get(j).asDouble();
                        worst = Math.max(worst, Math.abs(all[j] - want));
                        assertThat((double) all[j]).as(fixture + " step " + j).isCloseTo(want, within(tolerance));
                        assertThat((double) out.get(j + 1).scores()[0]).as(fixture + " prefix " + (j + 1))
                                .isCloseTo(want, within(tolerance));
                    }
                }
                System.out.printf("parity %s (%s): max |ONNX Runtime - PyTorch| score = %.3g%n", fixture, convention, worst);
            }
        }
    }

    @Test
    void theFloat16ExportScoresWithinOneHundredth() throws Exception {
        Path dir = BundledModels.fixture("qwen2-prm");
        JsonNode ref = JSON.readTree(Files.readString(dir.resolve("reference.json"))).get("float16");
        try (VerifierEngine engine = VerifierEngine.builder().modelDir(dir).graphFile(ref.get("graph").asText())
                .convention("qwen2.5-math-prm").intraOpThreads(1).tasks(new TaskRegistry(List.of(new MathTask())))
                .task(MathTask.NAME).build()) {
            double worst = 0;
            for (JsonNode c : ref.get("prm").get("cases")) {
                List<String> steps = new ArrayList<>();
                c.get("steps").forEach(s -> steps.add(s.asText()));
                float[] scores = engine.score(new ScoringRequest("r", "prm", c.get("question").asText(),
                        List.of(CandidateInput.allSteps("all", steps)), MathTask.NAME), Instant.now().plusSeconds(30))
                        .join().getFirst().scores();
                assertThat(scores).hasSize(steps.size());
                for (int j = 0; j < scores.length; j++) {
                    worst = Math.max(worst, Math.abs(scores[j] - c.get("scores").get(j).asDouble()));
                }
            }
            System.out.printf("parity qwen2-prm/model_fp16.onnx: max |ONNX Runtime - PyTorch| score = %.3g%n", worst);
            assertThat(worst).isLessThanOrEqualTo(ref.get("tolerance").asDouble());
        }
    }

    @Test
    void aTokenizerWithoutTheSeparatorTokenFailsTheStartNamingTheFileAndKey(@TempDir Path dir) throws Exception {
        Path src = BundledModels.fixture("qwen2-prm");
        for (String f : new String[] {"config.json", "model.onnx"}) {
            Files.copy(src.resolve(f), dir.resolve(f));
        }
        var tokenizer = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(Files.readString(src.resolve("tokenizer.json")));
        var added = (com.fasterxml.jackson.databind.node.ArrayNode) tokenizer.get("added_tokens");
        for (int i = added.size() - 1; i >= 0; i--) {
            if (added.get(i).get("content").asText().equals("<extra_0>")) {
                added.remove(i);
            }
        }
        Files.writeString(dir.resolve("tokenizer.json"), JSON.writeValueAsString(tokenizer));
        assertThatThrownBy(() -> engine(dir, "qwen2.5-math-prm", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("tokenizer.json").toString())
                .hasMessageContaining("has no token score-token='<extra_0>'");
    }

    @Test
    void anUnknownConventionFailsTheStartNamingTheKey() {
        assertThatThrownBy(() -> engine(BundledModels.fixture("qwen2-prm"), "skywork-prm", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scoring convention 'skywork-prm' (tts.verifier.model.convention)")
                .hasMessageContaining("qwen2.5-math-prm");
    }
}
