package io.ttsmesh.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a Hugging Face {@code config.json} that running a model needs. Field names are the
 * standard ones, so a model exported by Optimum (Qwen2, Llama, GPT-2 style names) loads with no code
 * change; {@link #raw()} keeps everything else (e.g. a PRM's separator token).
 *
 * @param kvHeads key/value heads ({@code num_key_value_heads}, falling back to the attention heads)
 * @param contextLength {@code max_position_embeddings} (or GPT-2's {@code n_positions})
 * @param eosTokenIds one or more end-of-sequence ids ({@code eos_token_id} may be a number or a list)
 */
public record ModelConfig(String modelType, int layers, int attentionHeads, int kvHeads, int hiddenSize, int headDim,
                          int vocabSize, int contextLength, int bosTokenId, List<Integer> eosTokenIds, int padTokenId,
                          JsonNode raw) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ModelConfig read(Path configJson) throws IOException {
        JsonNode c = JSON.readTree(Files.readString(configJson));
        int layers = positive(configJson, c, "num_hidden_layers", "n_layer");
        int heads = positive(configJson, c, "num_attention_heads", "n_head");
        int hidden = positive(configJson, c, "hidden_size", "n_embd");
        int kvHeads = c.has("num_key_value_heads") ? positive(configJson, c, "num_key_value_heads") : heads;
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(configJson + ": num_attention_heads=" + heads
                    + " is not a multiple of num_key_value_heads=" + kvHeads
                    + " (grouped-query attention shares each key/value head among a whole number of query heads)");
        }
        if (!c.has("head_dim") && hidden % heads != 0) {
            throw new IllegalArgumentException(configJson + ": hidden_size=" + hidden + " is not a multiple of "
                    + "num_attention_heads=" + heads + " and there is no head_dim");
        }
        int headDim = c.has("head_dim") ? positive(configJson, c, "head_dim") : hidden / heads;
        int context = positive(configJson, c, "max_position_embeddings", "n_positions");
        List<Integer> eos = new ArrayList<>();
        JsonNode eosNode = c.path("eos_token_id");
        if (eosNode.isArray()) {
            eosNode.forEach(n -> eos.add(n.asInt()));
        } else if (eosNode.isNumber()) {
            eos.add(eosNode.asInt());
        }
        return new ModelConfig(c.path("model_type").asText(""), layers, heads, kvHeads, hidden, headDim,
                positive(configJson, c, "vocab_size"), context, c.path("bos_token_id").asInt(-1), List.copyOf(eos),
                c.path("pad_token_id").asInt(-1), c);
    }

    /** The first of {@code names} present, which must be a positive integer. */
    private static int positive(Path file, JsonNode c, String... names) {
        for (String name : names) {
            if (c.has(name)) {
                JsonNode v = c.get(name);
                if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
                    throw new IllegalArgumentException(file + ": " + name + " must be a positive integer, got " + v);
                }
                return v.asInt();
            }
        }
        throw new IllegalArgumentException(file + " has none of " + String.join(", ", names));
    }

    /** Bytes of KV cache one token takes in float32 (half in float16): layers x (key + value) x kv heads x head dim x 4. */
    public long kvBytesPerToken() {
        return (long) layers * 2 * kvHeads * headDim * Float.BYTES;
    }

    public boolean isEos(int tokenId) {
        return eosTokenIds.contains(tokenId);
    }
}
