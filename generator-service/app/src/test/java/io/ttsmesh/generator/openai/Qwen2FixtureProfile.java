package io.ttsmesh.generator.openai;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The pod started on the Qwen2-shaped fixture (models/fixtures/qwen2) by configuration alone. */
public class Qwen2FixtureProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tts.generator.model-dir", "${ttsmesh.models.dir}/fixtures/qwen2",
                "tts.generator.graph-file", "decoder_model_merged.onnx",
                "tts.generator.dtype", "float32");
    }
}
