package io.ttsmesh.generator.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.generator.engine.decode.DecodeBatchAccess;
import io.ttsmesh.generator.engine.decode.DecoderModel;
import io.ttsmesh.generator.engine.decode.Precision;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.runtime.ExecutionProvider;
import io.ttsmesh.runtime.ModelDirectory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Qwen2- and Llama-shaped fixtures (models/fixtures, written by models/train/real_fixtures.py) loaded the
 * way a pod loads them, by settings alone, against what PyTorch, the Python BPE and jinja2 computed: logits of
 * a fixed prompt within 1e-4 (float32) / 1e-2 (float16), the greedy continuation token for token, the
 * byte-level BPE ids of a multilingual text.
 */
class RealModelParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode reference(String fixture) throws IOException {
        return JSON.readTree(Files.readString(BundledModels.fixture(fixture).resolve("reference.json")));
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    @ParameterizedTest(name = "{0}/{1} ({2})")
    @CsvSource({"qwen2, model.onnx, float32", "qwen2, decoder_model_merged.onnx, float32",
            "qwen2, model_fp16.onnx, float16", "llama, model.onnx, float32", "llama, decoder_model_merged.onnx, float32"})
    void logitsMatchPyTorch(String fixture, String graph, String dtype) throws IOException {
        JsonNode ref = reference(fixture).get(dtype);
        Path dir = BundledModels.fixture(fixture);
        try (DecoderModel model = DecoderModel.open(ModelDirectory.open(dir, graph), ExecutionProvider.CPU, 1,
                Precision.parse(dtype))) {
            assertThat(model.precision()).isEqualTo(Precision.parse(dtype));
            assertThat(model.merged()).isEqualTo(graph.contains("merged"));
            int[] ids = ints(ref.get("logits").get("input_ids"));
            float[][] got = DecodeBatchAccess.fullPass(model, ids);
            JsonNode want = ref.get("logits").get("logits");
            double worst = 0;
            for (int p = 0; p < ids.length; p++) {
                for (int v = 0; v < model.vocabSize(); v++) {
                    worst = Math.max(worst, Math.abs(got[p][v] - want.get(p).get(v).asDouble()));
                }
            }
            System.out.printf("parity %s/%s: max |ONNX Runtime - PyTorch| logit = %.3g over %d x %d%n", fixture, graph,
                    worst, ids.length, model.vocabSize());
            assertThat(worst).as("max |logit difference|").isLessThanOrEqualTo(ref.get("tolerance").asDouble());
        }
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"qwen2, model.onnx, float32", "qwen2, decoder_model_merged.onnx, float32",
            "qwen2, model_fp16.onnx, float16", "llama, model.onnx, float32", "llama, decoder_model_merged.onnx, float32"})
    void greedyContinuationIsPyTorchsTokenForToken(String fixture, String graph, String dtype) throws IOException {
        JsonNode ref = reference(fixture).get(dtype).get("greedy");
        int[] expected = ints(ref.get("new_ids"));
        EngineSettings settings = EngineSettings.forModel(BundledModels.fixture(fixture)).graphFile(graph)
                .dtype(Precision.parse(dtype)).intraOpThreads(1).build();
        try (GeneratorEngine engine = GeneratorEngine.start(settings)) {
            String prompt = ref.get("prompt").asText();
            assertThat(engine.tokenizer().encode(prompt)).as("prompt ids (special tokens as one id each)")
                    .containsExactly(ints(ref.get("prompt_ids")).length == 0 ? new long[0]
                            : java.util.Arrays.stream(ints(ref.get("prompt_ids"))).asLongStream().toArray());
            EventRecorder r = EventRecorder.open(engine, "greedy-" + fixture);
            r.start(prompt, List.of(1L), new Sampling(0f, 1f, 0, 7L, 0));
            List<Event.Step> steps = r.extend(List.of(1L), expected.length, true);
            assertThat(steps).hasSize(1);
            assertThat(steps.getFirst().tokenIds()).as("greedy continuation").containsExactly(expected);
        }
    }

    @ParameterizedTest
    @CsvSource({"qwen2", "llama", "qwen2-prm", "math-shepherd-prm"})
    void byteLevelBpeIdsMatchThePythonReference(String fixture) throws IOException {
        JsonNode bpe = reference("qwen2").get("bpe");
        ModelDirectory dir = ModelDirectory.open(BundledModels.fixture(fixture));
        try (var tokenizer = dir.loadTokenizer()) {
            long[] ids = tokenizer.encode(bpe.get("text").asText());
            assertThat(ids).containsExactly(java.util.Arrays.stream(ints(bpe.get("ids"))).asLongStream().toArray());
            assertThat(tokenizer.decode(ids)).isEqualTo(bpe.get("text").asText());
        }
    }
}
