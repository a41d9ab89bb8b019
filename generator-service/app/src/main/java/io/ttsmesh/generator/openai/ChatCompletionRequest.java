package io.ttsmesh.generator.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ttsmesh.generator.engine.ModelDescription;
import io.ttsmesh.runtime.chat.ChatMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /v1/chat/completions}, single sample: the messages go through the model's chat
 * template, the rest is checked as a completion request is. Fields the pod cannot honour are refused by name.
 */
public record ChatCompletionRequest(
        String model,
        List<Message> messages,
        Integer n,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
        Float temperature,
        @JsonProperty("top_p") Float topP,
        JsonNode stop,
        Long seed,
        Boolean stream,
        Boolean logprobs,
        JsonNode tools,
        @JsonProperty("response_format") JsonNode responseFormat,
        @JsonProperty("presence_penalty") Double presencePenalty,
        @JsonProperty("frequency_penalty") Double frequencyPenalty,
        @JsonProperty("logit_bias") JsonNode logitBias,
        String user) {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant");

    /** One message; {@code content} is a string or a list of text parts. */
    public record Message(String role, JsonNode content) {
    }

    /** The template's messages ("developer" is OpenAI's newer name for "system"). */
    List<ChatMessage> chatMessages() {
        if (messages == null || messages.isEmpty()) {
            throw OpenAiError.invalid("messages", "messages must be a non-empty array");
        }
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            String field = "messages[" + i + "]";
            if (m == null || m.role() == null || !ROLES.contains(m.role())) {
                throw OpenAiError.invalid(field + ".role", "role must be one of " + ROLES + ", got "
                        + (m == null ? null : m.role()));
            }
            out.add(new ChatMessage(m.role().equals("developer") ? "system" : m.role(), text(m.content(), field)));
        }
        return out;
    }

    private static String text(JsonNode content, String field) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content != null && content.isArray() && !content.isEmpty()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw OpenAiError.invalid(field + ".content", "only text content parts are supported");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw OpenAiError.invalid(field + ".content", "content must be a string or an array of text parts");
    }

    /** The completion to run for {@code prompt}, the rendered conversation. */
    CompletionRequest.Plan check(ModelDescription served, String prompt, List<String> modelStops) {
        if (n != null && n != 1) {
            throw OpenAiError.invalid("n", "a generator pod answers one choice (n = 1); the orchestrator's "
                    + "/v1/chat/completions runs searches over many");
        }
        if (Boolean.TRUE.equals(stream)) {
            throw OpenAiError.invalid("stream", "streaming is not supported on the generator's chat endpoint "
                    + "(use /v1/completions with stream)");
        }
        if (Boolean.TRUE.equals(logprobs)) {
            throw OpenAiError.invalid("logprobs", "logprobs are not supported on the generator's chat endpoint");
        }
        if (tools != null && !tools.isNull() && !tools.isEmpty()) {
            throw OpenAiError.invalid("tools", "tools are not supported");
        }
        if (responseFormat != null && !responseFormat.isNull() && !"text".equals(responseFormat.path("type").asText())) {
            throw OpenAiError.invalid("response_format", "only response_format {\"type\": \"text\"} is supported");
        }
        if (maxTokens != null && maxCompletionTokens != null && !maxTokens.equals(maxCompletionTokens)) {
            throw OpenAiError.invalid("max_completion_tokens", "max_tokens and max_completion_tokens disagree");
        }
        ObjectNode none = JsonNodeFactory.instance.objectNode();
        CompletionRequest completion = new CompletionRequest(model, JsonNodeFactory.instance.textNode(prompt), 1,
                maxCompletionTokens != null ? maxCompletionTokens : maxTokens, temperature, topP, stop, seed, null, false,
                null, null, null, null, presencePenalty, frequencyPenalty, logitBias == null ? none : logitBias, user);
        return completion.check(served, modelStops);
    }
}
