package io.ttsmesh.orchestrator.api.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.ttsmesh.orchestrator.OrchestratorConfig;
import io.ttsmesh.orchestrator.access.RequestCaller;
import io.ttsmesh.orchestrator.api.ProtoJson;
import io.ttsmesh.orchestrator.api.rest.ApiErrors;
import io.ttsmesh.orchestrator.http.ErrorShape;
import io.ttsmesh.orchestrator.solving.InvalidRequest;
import io.ttsmesh.orchestrator.solving.OverCapacity;
import io.ttsmesh.orchestrator.solving.RunningSearch;
import io.ttsmesh.orchestrator.solving.SearchService;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.events.StopReason;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.UUID;

/**
 * An OpenAI-compatible facade, so stock OpenAI clients get answers from a search.
 * <ul>
 *   <li>{@code POST /v1/chat/completions}: the last {@code user} message is the question.</li>
 *   <li>{@code POST /v1/completions}: {@code prompt} (a string) is the question.</li>
 *   <li>{@code GET /v1/models/{id}}: one of them ({@code models.retrieve}), 404 for any other name.</li>
 *   <li>{@code GET /v1/models}: every strategy as a model {@code tts-mesh/<strategy>} (the default task) and
 *   {@code tts-mesh/<task>/<strategy>} for every served task.</li>
 * </ul>
 * {@code model} names the strategy and optionally the task ({@code tts-mesh/beam_search},
 * {@code tts-mesh/countdown/beam_search}, or without the prefix); {@code tts_params.task} names the task too
 * (it must agree with the model's; unnamed: the default task, tts.orchestrator.task); {@code tts_params.allow_degraded}
 * (true/false; unset: tts.orchestrator.degraded-mode.enabled) allows or forbids degraded mode (an unscored vote,
 * stop reason DEGRADED in {@code tts}, when no verifier answers). Standard
 * fields used: {@code max_tokens} / {@code max_completion_tokens} (the token budget), {@code temperature},
 * {@code top_p}, {@code seed}, {@code n} (only 1), {@code stream} and {@code stream_options.include_usage}
 * (chat only: the search's progress streams as {@code reasoning_content}, then the answer). Extra body fields (OpenAI SDKs send them as "extra body"):
 * {@code tts_params} (the strategy's parameters, an object of strings, numbers or booleans),
 * {@code tts_policies} ([{"name", "params"}]), {@code tts_budget} ({"max_tokens", "max_verifier_calls",
 * "deadline_ms"}), {@code tts_verifier}, {@code tts_aggregation}, {@code tts_request_id}. Unset budget
 * parts take the configured defaults (tts.orchestrator.openai.*).
 * The answer's {@code content} is the chosen solution; {@code usage} reports the search's real token
 * counts (prompt_tokens = tokens prefilled, completion_tokens = tokens generated over all branches), and
 * {@code tts} carries the whole SolveResult (answer, stop reason, spend, tallies).
 */
@Path("/v1")
public class OpenAiResource {

    private static final String MODEL_PREFIX = "tts-mesh/";
    private static final Map<String, List<String>> JSON_TYPE = Map.of(HttpHeaders.CONTENT_TYPE, List.of(MediaType.APPLICATION_JSON));

    private final SearchService searches;
    private final OrchestratorConfig.OpenAi defaults;
    private final RequestCaller caller;
    private final ObjectMapper mapper;
    private final ErrorShape errors;
    private final int streamBuffer;

    OpenAiResource(SearchService searches, OrchestratorConfig config, RequestCaller caller, ObjectMapper mapper, ErrorShape errors) {
        this.errors = errors;
        this.caller = caller;
        this.searches = searches;
        this.defaults = config.openai();
        this.mapper = mapper;
        this.streamBuffer = config.limits().streamBuffer();
    }

    /**
     * The answer whole as JSON, or with {@code "stream": true} as server-sent {@code chat.completion.chunk}s
     * (whichever the client accepts: OpenAI SDKs ask for neither). No {@code @Produces}: the reply's own
     * Content-Type says which; a RestMulti of one JSON text or of SSE frames.
     */
    @POST
    @Path("/chat/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    public RestMulti<String> chat(String body) {
        JsonNode json = read(body);
        JsonNode messages = json.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new InvalidRequest("messages", "required: a non-empty array");
        }
        String question = null;
        for (JsonNode message : messages) {
            if ("user".equals(message.path("role").asText())) {
                question = content(message.get("content"));
            }
        }
        if (question == null || question.isBlank()) {
            throw new InvalidRequest("messages", "no user message with text content");
        }
        if (streamed(json)) {
            return stream(json, question);
        }
        return RestMulti.fromUniResponse(answer(json, question, true),
                response -> Multi.createFrom().item((String) response.getEntity()), response -> JSON_TYPE, Response::getStatus);
    }

    @POST
    @Path("/completions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> complete(String body) {
        JsonNode json = read(body);
        JsonNode prompt = json.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
            throw new InvalidRequest("prompt", "required: one prompt string");
        }
        if (streamed(json)) {
            throw new InvalidRequest("stream", "not supported on /v1/completions: stream from /v1/chat/completions");
        }
        return answer(json, prompt.asText(), false);
    }

    @GET
    @Path("/models")
    @Produces(MediaType.APPLICATION_JSON)
    public String models() {
        ObjectNode list = mapper.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        modelIds().forEach(id -> data.add(modelObject(id)));
        return list.toString();
    }

    /** One model as {@code models.retrieve} reads it; 404 in OpenAI's error shape for a name not in the list. */
    @GET
    @Path("/models/{id: .+}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response model(@PathParam("id") String id) {
        if (!modelIds().contains(id)) {
            return error(404, "invalid_request_error", "model", "The model '" + id + "' does not exist (see GET /v1/models)",
                    "model_not_found");
        }
        return Response.ok(modelObject(id).toString(), MediaType.APPLICATION_JSON).build();
    }

    private List<String> modelIds() {
        List<String> ids = new ArrayList<>();
        var catalog = searches.catalog();
        for (var strategy : catalog.strategies()) {
            ids.add(MODEL_PREFIX + strategy.name());
        }
        for (var task : catalog.tasks()) {
            for (var strategy : catalog.strategies()) {
                ids.add(MODEL_PREFIX + task.name() + "/" + strategy.name());
            }
        }
        return ids;
    }

    private ObjectNode modelObject(String id) {
        return mapper.createObjectNode().put("id", id).put("object", "model").put("created", 0).put("owned_by", "tts-mesh");
    }

    private Uni<Response> answer(JsonNode json, String question, boolean chat) {
        String model = model(json);
        SolveRequest request = request(json, question, model);
        RunningSearch search = searches.start(request, caller.get(), event -> {
        });
        String id = (chat ? "chatcmpl-" : "cmpl-") + request.getRequestId();
        long created = System.currentTimeMillis() / 1000;
        return Uni.createFrom().completionStage(search.result())
                .onCancellation().invoke(search::cancel)
                .map(result -> result.getStopReason() == StopReason.FAILED
                        // The mesh could not search (no generator, ...): a server error, with the reason.
                        ? error(503, "server_error", null, result.getStopDetail(), null)
                        : Response.ok(completion(chat, id, created, model, result).toString())
                        .type(MediaType.APPLICATION_JSON).build());
    }

    /**
     * Streams the search as it happens: a first chunk with the assistant role, one {@code reasoning_content}
     * delta per line of {@link SearchNarration}, the chosen solution as {@code content}, a chunk with the
     * finish reason, then (with {@code stream_options.include_usage}) a chunk of {@code usage} with no
     * choices; the last chunk also carries {@code tts} (the SolveResult), and {@code [DONE]} ends the stream.
     * A search that could not run ends with an {@code {"error": ...}} event before {@code [DONE]}. Admitted
     * before the stream opens (400 / 429 as for a whole answer); a client that goes away or stops reading
     * (stream-buffer chunks unread) cancels the search.
     */
    private RestMulti<String> stream(JsonNode json, String question) {
        String model = model(json);
        JsonNode options = json.get("stream_options");
        if (options != null && !options.isNull() && !options.isObject()) {
            throw new InvalidRequest("stream_options", "an object, e.g. {\"include_usage\": true}");
        }
        boolean includeUsage = options != null && bool(options, "include_usage", "stream_options.include_usage");
        SolveRequest request = request(json, question, model);
        var chunks = new ChatChunks(mapper, "chatcmpl-" + request.getRequestId(), System.currentTimeMillis() / 1000, model, includeUsage);
        UnicastProcessor<String> frames = UnicastProcessor.create(new ArrayBlockingQueue<>(streamBuffer), null);
        frames.onNext(frame(chunks.delta("role", "assistant")));
        SearchNarration narration = new SearchNarration();
        RunningSearch search = searches.start(request, caller.get(), event -> {
            String line = narration.line(event);
            if (line != null) {
                frames.onNext(frame(chunks.delta("reasoning_content", line)));
            }
        });
        search.result().whenComplete((result, failure) -> {
            if (result == null || result.getStopReason() == StopReason.FAILED) {
                frames.onNext(frame(errorBody("server_error", null,
                        result == null ? "the search ended without a result: " + failure : result.getStopDetail(), null)));
            } else {
                frames.onNext(frame(chunks.delta("content", result.getSolution())));
                ObjectNode finish = chunks.finish(finishReason(result));
                if (includeUsage) {
                    frames.onNext(frame(finish));
                    ObjectNode usage = chunks.usage(usage(result));
                    usage.set("tts", tts(result));
                    frames.onNext(frame(usage));
                } else {
                    finish.set("tts", tts(result));
                    frames.onNext(frame(finish));
                }
            }
            frames.onNext("data: [DONE]\n\n");
            frames.onComplete();
        });
        return RestMulti.fromMultiData(frames.onTermination().invoke(search::cancel))
                .encodeAsJsonArray(false)
                .header(HttpHeaders.CONTENT_TYPE, MediaType.SERVER_SENT_EVENTS)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .build();
    }

    private static String frame(ObjectNode data) {
        return "data: " + data + "\n\n";
    }

    private static boolean streamed(JsonNode json) {
        return bool(json, "stream", "stream");
    }

    private static boolean bool(JsonNode json, String name, String field) {
        JsonNode v = json.get(name);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new InvalidRequest(field, "true or false");
        }
        return v.asBoolean();
    }

    private static String model(JsonNode json) {
        String model = text(json, "model");
        if (model == null || model.isBlank()) {
            throw new InvalidRequest("model", "required: a strategy, e.g. tts-mesh/beam_search or "
                    + "tts-mesh/countdown/beam_search (see GET /v1/models)");
        }
        if (json.has("n") && json.get("n").asInt(-1) != 1) {
            throw new InvalidRequest("n", "only 1 is supported (a search returns one answer)");
        }
        return model;
    }

    private SolveRequest request(JsonNode json, String question, String model) {
        String name = model.startsWith(MODEL_PREFIX) ? model.substring(MODEL_PREFIX.length()) : model;
        String[] parts = name.split("/", -1);
        if (parts.length > 2) {
            throw new InvalidRequest("model", "tts-mesh/<strategy> or tts-mesh/<task>/<strategy> (see GET /v1/models)");
        }
        String strategy = parts[parts.length - 1];
        String task = parts.length == 2 ? parts[0] : null;
        String requestId = text(json, "tts_request_id");
        var request = SolveRequest.newBuilder()
                .setRequestId(requestId != null ? requestId : UUID.randomUUID().toString())
                .setQuestion(question);
        var method = request.getStrategyBuilder().setName(strategy);
        Map<String, String> params = new java.util.LinkedHashMap<>(params(json.get("tts_params"), "tts_params"));
        String paramTask = params.remove("task");
        String allowDegraded = params.remove("allow_degraded");
        if (allowDegraded != null) {
            if (!allowDegraded.equals("true") && !allowDegraded.equals("false")) {
                throw new InvalidRequest("tts_params.allow_degraded", "true or false");
            }
            request.setAllowDegraded(Boolean.parseBoolean(allowDegraded));
        }
        if (paramTask != null && task != null && !paramTask.strip().equals(task.strip())) {
            throw new InvalidRequest("tts_params.task", "names another task than the model (tts-mesh/<task>/<strategy>)");
        }
        task = task != null ? task : paramTask;
        if (task != null) {
            request.setTask(task);
        }
        params.forEach(method::putParams);
        JsonNode policies = json.get("tts_policies");
        if (policies != null && !policies.isNull()) {
            if (!policies.isArray()) {
                throw new InvalidRequest("tts_policies", "an array of {\"name\", \"params\"}");
            }
            for (int i = 0; i < policies.size(); i++) {
                JsonNode p = policies.get(i);
                if (!p.path("name").isTextual()) {
                    throw new InvalidRequest("tts_policies[" + i + "].name", "required");
                }
                var policy = request.addPoliciesBuilder().setName(p.get("name").asText());
                params(p.get("params"), "tts_policies[" + i + "].params").forEach(policy::putParams);
            }
        }
        JsonNode budget = json.path("tts_budget");
        long maxTokens = number(budget, "max_tokens", "tts_budget.max_tokens",
                number(json, "max_completion_tokens", "max_completion_tokens",
                        number(json, "max_tokens", "max_tokens", defaults.defaultMaxTokens())));
        long verifierCalls = number(budget, "max_verifier_calls", "tts_budget.max_verifier_calls", defaults.defaultMaxVerifierCalls());
        long deadline = number(budget, "deadline_ms", "tts_budget.deadline_ms", defaults.defaultDeadline().toMillis());
        if (maxTokens < 1) {
            String field = budget.hasNonNull("max_tokens") ? "tts_budget.max_tokens"
                    : json.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
            throw new InvalidRequest(field, "at least 1 token is required");
        }
        if (verifierCalls < 0 || verifierCalls > Integer.MAX_VALUE) {
            throw new InvalidRequest("tts_budget.max_verifier_calls", "0 to " + Integer.MAX_VALUE);
        }
        if (deadline < 1 || deadline > Integer.MAX_VALUE) {
            throw new InvalidRequest("tts_budget.deadline_ms", "1 to " + Integer.MAX_VALUE + " milliseconds");
        }
        request.getBudgetBuilder().setMaxTokens(maxTokens).setMaxVerifierCalls((int) verifierCalls).setDeadlineMs((int) deadline);
        var sampling = request.getSamplingBuilder();
        if (json.hasNonNull("temperature")) {
            sampling.setTemperature((float) decimal(json, "temperature"));
        }
        if (json.hasNonNull("top_p")) {
            sampling.setTopP((float) decimal(json, "top_p"));
        }
        if (json.hasNonNull("seed")) {
            sampling.setSeed(number(json, "seed", "seed", 0));
        }
        String verifier = text(json, "tts_verifier");
        if (verifier != null) {
            request.setVerifier(verifier);
        }
        String aggregation = text(json, "tts_aggregation");
        if (aggregation != null) {
            request.setAggregation(aggregation);
        }
        return request.build();
    }

    private ObjectNode completion(boolean chat, String id, long created, String model, SolveResult result) {
        ObjectNode body = mapper.createObjectNode()
                .put("id", id)
                .put("object", chat ? "chat.completion" : "text_completion")
                .put("created", created)
                .put("model", model);
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        if (chat) {
            choice.putObject("message").put("role", "assistant").put("content", result.getSolution());
        } else {
            choice.put("text", result.getSolution());
            choice.putNull("logprobs");
        }
        choice.put("finish_reason", finishReason(result));
        body.set("usage", usage(result));
        body.set("tts", tts(result));
        return body;
    }

    private ObjectNode usage(SolveResult result) {
        long prompt = result.getSpend().getPrefillTokens();
        long completion = result.getSpend().getGeneratedTokens();
        return mapper.createObjectNode()
                .put("prompt_tokens", prompt)
                .put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    private JsonNode tts(SolveResult result) {
        try {
            return mapper.readTree(ProtoJson.print(result));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "stop" when the search ran to its end (or a policy ended it, or it answered unscored), "length" when a budget ended it. */
    private static String finishReason(SolveResult result) {
        StopReason reason = result.getStopReason();
        return reason == StopReason.COMPLETED || reason == StopReason.EARLY_EXIT || reason == StopReason.DEGRADED ? "stop" : "length";
    }

    private JsonNode read(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidRequest("body", "a JSON object is required");
        }
        try {
            JsonNode json = mapper.readTree(body);
            if (!json.isObject()) {
                throw new InvalidRequest("body", "a JSON object is required");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new InvalidRequest("body", "not JSON: " + e.getOriginalMessage());
        }
    }

    private static String content(JsonNode content) {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if ("text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
                    text.append(part.get("text").asText());
                }
            }
            return text.toString();
        }
        throw new InvalidRequest("messages.content", "a string or an array of text parts");
    }

    private static Map<String, String> params(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new InvalidRequest(field, "an object of parameter values");
        }
        var params = new java.util.LinkedHashMap<String, String>();
        node.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull()) {
                throw new InvalidRequest(field + "." + e.getKey(), "a string, number or boolean");
            }
            params.put(e.getKey(), v.asText());
        });
        return params;
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRequest(field, "a string");
        }
        return v.asText();
    }

    private static long number(JsonNode json, String name, String field, long fallback) {
        JsonNode v = json.get(name);
        if (v == null || v.isNull() || v.isMissingNode()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidRequest(field, "an integer");
        }
        return v.asLong();
    }

    private static double decimal(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (!v.isNumber()) {
            throw new InvalidRequest(field, "a number");
        }
        return v.asDouble();
    }

    // OpenAI's error shape: {"error": {"message", "type", "param", "code"}}

    @ServerExceptionMapper
    public Response invalid(InvalidRequest e) {
        return error(400, "invalid_request_error", e.field(), e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response full(OverCapacity e) {
        return Response.fromResponse(error(429, "rate_limit_error", null, e.getMessage(), null)).header("Retry-After", retryAfter(e)).build();
    }

    private Response error(int status, String type, String param, String message, String code) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(errorBody(type, param, message, code).toString()).build();
    }

    private ObjectNode errorBody(String type, String param, String message, String code) {
        return errors.openAiNode(type, param, message, code);
    }

    private static String retryAfter(OverCapacity e) {
        return ApiErrors.retryAfter(e);
    }
}
