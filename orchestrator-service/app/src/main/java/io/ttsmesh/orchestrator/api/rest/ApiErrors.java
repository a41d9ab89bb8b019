package io.ttsmesh.orchestrator.api.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.orchestrator.solving.InvalidRequest;
import io.ttsmesh.orchestrator.solving.OverCapacity;
import io.ttsmesh.orchestrator.solving.UnknownJob;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** Client errors of the REST API as {@code {"error": {"code", "field", "message"}}} with their HTTP status. */
public class ApiErrors {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ServerExceptionMapper
    public Response invalid(InvalidRequest e) {
        return error(400, "INVALID_ARGUMENT", e.field(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response full(OverCapacity e) {
        return Response.fromResponse(error(429, "RESOURCE_EXHAUSTED", "", e.getMessage())).header("Retry-After", retryAfter(e)).build();
    }

    @ServerExceptionMapper
    public Response unknown(UnknownJob e) {
        return error(404, "NOT_FOUND", "request_id", e.getMessage());
    }

    static Response error(int status, String code, String field, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("field", field);
        error.put("message", message);
        try {
            return Response.status(status).type(MediaType.APPLICATION_JSON)
                    .entity(MAPPER.writeValueAsString(Map.of("error", error))).build();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Response.status(status).entity(message).build();
        }
    }

    /** Seconds until a retry can succeed: the key's own figure when its limits refused, else 1. */
    static String retryAfter(OverCapacity e) {
        return e instanceof io.ttsmesh.orchestrator.access.RateLimited limited ? Long.toString(limited.retryAfterSeconds()) : "1";
    }
}
