package io.ttsmesh.orchestrator.api.rest;

import io.ttsmesh.orchestrator.access.RateLimited;
import io.ttsmesh.orchestrator.http.ErrorShape;
import io.ttsmesh.orchestrator.solving.InvalidRequest;
import io.ttsmesh.orchestrator.solving.OverCapacity;
import io.ttsmesh.orchestrator.solving.UnknownJob;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Client errors of the REST API as {@code {"error": {"code", "field", "message"}}} with their HTTP status
 * (the OpenAI facade maps its own, in OpenAI's shape).
 */
public class ApiErrors {

    private final ErrorShape shape;

    ApiErrors(ErrorShape shape) {
        this.shape = shape;
    }

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

    private Response error(int status, String code, String field, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(shape.own(code, field, message)).build();
    }

    /** Seconds until a retry can succeed: the key's own figure when its limits refused, else 1. */
    public static String retryAfter(OverCapacity e) {
        return e instanceof RateLimited limited ? Long.toString(limited.retryAfterSeconds()) : "1";
    }
}
