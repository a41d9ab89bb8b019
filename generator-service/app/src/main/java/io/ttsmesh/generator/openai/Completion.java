package io.ttsmesh.generator.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** OpenAI's completion object (also each chunk of a stream, then {@code finish_reason} is null until the end). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Completion(String id, String object, long created, String model, List<Choice> choices, Usage usage) {

    public static Completion of(String id, long created, String model, List<Choice> choices, Usage usage) {
        return new Completion(id, "text_completion", created, model, choices, usage);
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Choice(String text, int index, Logprobs logprobs, @JsonProperty("finish_reason") String finishReason) {
    }

    /** The legacy logprobs shape: parallel lists, top alternatives as token-to-logprob maps. */
    public record Logprobs(List<String> tokens, @JsonProperty("token_logprobs") List<Float> tokenLogprobs,
                           @JsonProperty("top_logprobs") List<Map<String, Float>> topLogprobs,
                           @JsonProperty("text_offset") List<Integer> textOffset) {
    }

    public record Usage(@JsonProperty("prompt_tokens") long promptTokens,
                        @JsonProperty("completion_tokens") long completionTokens,
                        @JsonProperty("total_tokens") long totalTokens) {
    }
}
