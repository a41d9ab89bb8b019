package io.ttsmesh.generator.engine;

import io.ttsmesh.generator.engine.decode.Precision;
import io.ttsmesh.runtime.BundledModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A model directory with a wrong layout fails the engine's start (so a pod never turns ready) with a message
 * naming the file and the key at fault.
 */
class ModelLayoutErrorsTest {

    @TempDir
    Path dir;

    /** The Qwen2 fixture's files, optionally with another graph as model.onnx and config.json edited. */
    private Path qwen2(String graphFrom, String configFrom, String configTo) throws IOException {
        Path src = BundledModels.fixture("qwen2");
        for (String f : new String[] {"tokenizer.json", "tokenizer_config.json", "generation_config.json"}) {
            Files.copy(src.resolve(f), dir.resolve(f));
        }
        Files.copy(graphFrom == null ? src.resolve("model.onnx") : BundledModels.fixture(graphFrom).resolve("model.onnx"),
                dir.resolve("model.onnx"));
        String config = Files.readString(src.resolve("config.json"));
        assertThat(config).contains(configFrom);
        Files.writeString(dir.resolve("config.json"), config.replace(configFrom, configTo));
        return dir;
    }

    private static GeneratorEngine start(Path modelDir) {
        return GeneratorEngine.start(EngineSettings.forModel(modelDir).intraOpThreads(1).build());
    }

    @Test
    void aGraphWithoutPastInputsNamesTheGraphAndTheMissingInputs() throws IOException {
        Path model = qwen2("qwen2-prm", "\"model_type\"", "\"model_type\"");
        assertThatThrownBy(() -> start(model)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(model.resolve("model.onnx").toString())
                .hasMessageContaining("missing input past_key_values.0.key")
                .hasMessageContaining("missing output present.1.value")
                .hasMessageContaining("num_hidden_layers=2");
    }

    @Test
    void headsThatDoNotDivideNameConfigJsonAndBothKeys() throws IOException {
        Path model = qwen2(null, "\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3");
        assertThatThrownBy(() -> start(model)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(model.resolve("config.json").toString())
                .hasMessageContaining("num_attention_heads=4 is not a multiple of num_key_value_heads=3");
    }

    @Test
    void kvHeadsThatDisagreeWithTheGraphNameTheKey() throws IOException {
        Path model = qwen2(null, "\"num_key_value_heads\": 2", "\"num_key_value_heads\": 4");
        assertThatThrownBy(() -> start(model)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(model.resolve("model.onnx").toString())
                .hasMessageContaining("past_key_values.0.key has 2 KV heads, config.json num_key_value_heads says 4");
    }

    @Test
    void aConfiguredDtypeTheGraphDoesNotHaveIsRefused() {
        EngineSettings settings = EngineSettings.forModel(BundledModels.fixture("qwen2")).graphFile("model_fp16.onnx")
                .dtype(Precision.FLOAT32).intraOpThreads(1).build();
        assertThatThrownBy(() -> GeneratorEngine.start(settings)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model_fp16.onnx").hasMessageContaining("its KV is float16 but dtype float32 was configured");
        assertThatThrownBy(() -> Precision.parse("bfloat16")).hasMessageContaining("dtype 'bfloat16' is unknown");
    }

    @Test
    void aMissingGraphFileIsNamed() {
        EngineSettings settings = EngineSettings.forModel(BundledModels.fixture("qwen2")).graphFile("decoder_with_past.onnx")
                .build();
        assertThatThrownBy(() -> GeneratorEngine.start(settings)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no decoder_with_past.onnx");
    }
}
