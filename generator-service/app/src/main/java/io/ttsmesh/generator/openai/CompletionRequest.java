package io.ttsmesh.generator.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.ttsmesh.generator.engine.ModelDescription;
import io.ttsmesh.generator.engine.Sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /v1/completions} (OpenAI's legacy completions API). Fields the engine cannot
 * honour (echo, suffix, penalties, logit_bias, best_of other than n) are refused by name rather than ignored.
 */
public record CompletionRequest(
        String model,
        JsonNode prompt,
        Integer n,
        @JsonProperty("max_tokens") Integer maxTokens,
        Float temperature,
        @JsonProperty("top_p") Float topP,
        JsonNode stop,
        Long seed,
        Integer logprobs,
        Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions,
        Boolean echo,
        String suffix,
        @JsonProperty("best_of") Integer bestOf,
        @JsonProperty("presence_penalty") Double presencePenalty,
        @JsonProperty("frequency_penalty") Double frequencyPenalty,
        @JsonProperty("logit_bias") JsonNode logitBias,
        String user) {

    public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
    }

    /** What to run, once the request is checked against the model and the pod's bounds. */
    record Plan(List<String> prompts, int n, int maxTokens, Sampling sampling, List<String> stops, int logprobs,
                boolean stream, boolean includeUsage) {
    }

    Plan check(ModelDescription model) {
        return check(model, List.of());
    }

    /** @param modelStops the pod's stop strings for its model, added to the request's own */
    Plan check(ModelDescription model, List<String> modelStops) {
        if (model() != null && !model().isEmpty() && !model().equals(model.model())) {
            throw new OpenAiError(404, "invalid_request_error", "model", "model_not_found",
                    "model '" + model() + "' is not served here; this pod serves '" + model.model() + "'");
        }
        List<String> prompts = prompts();
        int choices = n == null ? 1 : n;
        if (choices < 1 || (long) choices * prompts.size() > model.maxBranchesPerSession()) {
            throw OpenAiError.invalid("n", "n must be at least 1 and n x prompts at most " + model.maxBranchesPerSession()
                    + ", got n=" + choices + " for " + prompts.size() + " prompt(s)");
        }
        int tokens = maxTokens == null ? 16 : maxTokens;
        if (tokens < 1 || tokens > model.contextLength()) {
            throw OpenAiError.invalid("max_tokens", "max_tokens must be in [1, " + model.contextLength() + "], got " + tokens);
        }
        float t = temperature == null ? 1f : temperature;
        if (!(t >= 0f && t <= 2f)) {
            throw OpenAiError.invalid("temperature", "temperature must be in [0, 2], got " + temperature);
        }
        float p = topP == null ? 1f : topP;
        if (!(p > 0f && p <= 1f)) {
            throw OpenAiError.invalid("top_p", "top_p must be in (0, 1], got " + topP);
        }
        int k = logprobs == null ? 0 : logprobs;
        int maxK = Math.min(5, model.maxTopLogprobs());
        if (k < 0 || k > maxK) {
            throw OpenAiError.invalid("logprobs", "logprobs must be in [0, " + maxK + "], got " + logprobs);
        }
        if (Boolean.TRUE.equals(echo)) {
            throw OpenAiError.invalid("echo", "echo is not supported");
        }
        if (suffix != null && !suffix.isEmpty()) {
            throw OpenAiError.invalid("suffix", "suffix is not supported");
        }
        if (bestOf != null && bestOf != choices) {
            throw OpenAiError.invalid("best_of", "best_of is not supported (only best_of = n)");
        }
        if (presencePenalty != null && presencePenalty != 0) {
            throw OpenAiError.invalid("presence_penalty", "presence_penalty is not supported (only 0)");
        }
        if (frequencyPenalty != null && frequencyPenalty != 0) {
            throw OpenAiError.invalid("frequency_penalty", "frequency_penalty is not supported (only 0)");
        }
        if (logitBias != null && !logitBias.isNull() && !logitBias.isEmpty()) {
            throw OpenAiError.invalid("logit_bias", "logit_bias is not supported");
        }
        // OpenAI has no top_k: it is off.
        Sampling sampling = new Sampling(t, p, 0, seed, k);
        boolean streaming = Boolean.TRUE.equals(stream);
        boolean usage = streaming && streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
        List<String> stops = new ArrayList<>(stops());
        modelStops.stream().filter(stop -> !stop.isEmpty() && !stops.contains(stop)).forEach(stops::add);
        return new Plan(prompts, choices, tokens, sampling, List.copyOf(stops), k, streaming, usage);
    }

    private List<String> prompts() {
        if (prompt == null || prompt.isNull()) {
            throw OpenAiError.invalid("prompt", "prompt is required");
        }
        List<String> prompts = new ArrayList<>();
        if (prompt.isTextual()) {
            prompts.add(prompt.asText());
        } else if (prompt.isArray() && !prompt.isEmpty()) {
            for (JsonNode p : prompt) {
                if (!p.isTextual()) {
                    throw OpenAiError.invalid("prompt", "prompt must be a string or an array of strings "
                            + "(token-id prompts are not supported)");
                }
                prompts.add(p.asText());
            }
        } else {
            throw OpenAiError.invalid("prompt", "prompt must be a string or a non-empty array of strings");
        }
        for (String p : prompts) {
            if (p.isEmpty()) {
                throw OpenAiError.invalid("prompt", "prompt must not be empty");
            }
        }
        return prompts;
    }

    private List<String> stops() {
        List<String> stops = new ArrayList<>();
        if (stop == null || stop.isNull()) {
            return stops;
        }
        if (stop.isTextual()) {
            stops.add(stop.asText());
        } else if (stop.isArray()) {
            stop.forEach(s -> stops.add(s.isTextual() ? s.asText() : ""));
        }
        if (stops.size() > 4 || stops.stream().anyMatch(String::isEmpty) || (!stop.isTextual() && !stop.isArray())) {
            throw OpenAiError.invalid("stop", "stop must be a non-empty string or up to 4 non-empty strings");
        }
        return stops;
    }
}
