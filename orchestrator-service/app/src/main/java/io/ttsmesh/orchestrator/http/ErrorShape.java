package io.ttsmesh.orchestrator.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The one JSON shape of every HTTP error the orchestrator answers, always naming what is wrong:
 * <ul>
 *   <li>on the OpenAI paths ({@code /v1/chat/...}, {@code /v1/completions}, {@code /v1/models...}) OpenAI's,
 *   {@code {"error": {"message", "type", "param", "code"}}}, which OpenAI SDKs read;</li>
 *   <li>everywhere else the project's own, {@code {"error": {"code", "field", "message"}}}, code a gRPC
 *   status name (the same words as the gRPC API's).</li>
 * </ul>
 * The field (param) is a request field in snake_case ({@code budget.max_tokens}), or what else is to blame:
 * {@code body}, {@code path}, {@code method}, {@code Content-Type}, {@code Accept}, {@code Authorization}.
 */
@ApplicationScoped
public class ErrorShape {

    private final ObjectMapper mapper;

    public ErrorShape(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public static boolean openAiPath(String path) {
        return path.startsWith("/v1/chat/") || path.equals("/v1/completions") || path.startsWith("/v1/completions/")
                || path.equals("/v1/models") || path.startsWith("/v1/models/");
    }

    /** The body for an error of {@code status} on {@code path}, in the shape that path speaks. */
    public String body(String path, int status, String field, String message) {
        return openAiPath(path) ? openAi(openAiType(status), field, message, openAiCode(status)) : own(grpcCode(status), field, message);
    }

    public Response response(String path, int status, String field, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body(path, status, field, message)).build();
    }

    /** {@code {"error": {"code", "field", "message"}}}. */
    public String own(String code, String field, String message) {
        ObjectNode body = mapper.createObjectNode();
        body.putObject("error").put("code", code).put("field", field == null ? "" : field).put("message", message);
        return body.toString();
    }

    /** {@code {"error": {"message", "type", "param", "code"}}}; param and code null when there is none. */
    public String openAi(String type, String param, String message, String code) {
        return openAiNode(type, param, message, code).toString();
    }

    public ObjectNode openAiNode(String type, String param, String message, String code) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode error = body.putObject("error").put("message", message).put("type", type);
        if (param == null || param.isEmpty()) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return body;
    }

    static String grpcCode(int status) {
        return switch (status) {
            case 400, 406, 413, 415 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 405 -> "UNIMPLEMENTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
        };
    }

    static String openAiType(int status) {
        return switch (status) {
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    static String openAiCode(int status) {
        return switch (status) {
            case 404 -> "unknown_url";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "request_too_large";
            case 415 -> "unsupported_media_type";
            default -> null;
        };
    }
}
