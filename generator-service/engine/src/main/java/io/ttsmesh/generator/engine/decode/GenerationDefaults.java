package io.ttsmesh.generator.engine.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.runtime.ModelConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Sampling defaults and end-of-sequence ids from {@code generation_config.json}, with Hugging Face's
 * semantics: without {@code do_sample: true} decoding is greedy; an absent {@code top_k} means 50.
 * End-of-sequence ids are those of config.json and generation_config.json together.
 */
public record GenerationDefaults(float temperature, float topP, int topK, int[] eosTokenIds) {

    public static GenerationDefaults read(Path generationConfig, ModelConfig config) {
        Set<Integer> eos = new LinkedHashSet<>(config.eosTokenIds());
        if (!Files.isRegularFile(generationConfig)) {
            return new GenerationDefaults(0f, 1f, 50, toArray(eos));
        }
        try {
            JsonNode g = new ObjectMapper().readTree(Files.readString(generationConfig));
            JsonNode eosNode = g.path("eos_token_id");
            if (eosNode.isArray()) {
                eosNode.forEach(n -> eos.add(n.asInt()));
            } else if (eosNode.isNumber()) {
                eos.add(eosNode.asInt());
            }
            boolean sample = g.path("do_sample").asBoolean(false);
            float temperature = sample ? (float) g.path("temperature").asDouble(1.0) : 0f;
            return new GenerationDefaults(temperature, (float) g.path("top_p").asDouble(1.0), g.path("top_k").asInt(50),
                    toArray(eos));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + generationConfig, e);
        }
    }

    private static int[] toArray(Set<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    public boolean isEos(int token) {
        for (int id : eosTokenIds) {
            if (id == token) {
                return true;
            }
        }
        return false;
    }
}
