package io.ttsmesh.orchestrator.access;

import io.ttsmesh.orchestrator.http.ErrorShape;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * The API key check of the HTTP API: every path under {@code /v1/} (REST and the OpenAI facade) needs
 * {@code Authorization: Bearer <key>}. Refused requests get 401 (with {@code WWW-Authenticate: Bearer}) or
 * 429 with Retry-After, before the body is read, in the error shape of the API asked (OpenAI's under
 * /v1/chat, /v1/completions, /v1/models). Health, metrics and the monitor (/monitor/) stay open: they are
 * meant for the cluster's own network (NetworkPolicy), see the README.
 */
public class ApiKeyFilter {

    private final ApiKeys keys;
    private final RequestCaller requestCaller;
    private final ErrorShape shape;

    ApiKeyFilter(ApiKeys keys, RequestCaller requestCaller, ErrorShape shape) {
        this.shape = shape;
        this.keys = keys;
        this.requestCaller = requestCaller;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!keys.enabled() || !path.startsWith("/v1/")) {
            return Optional.empty();
        }
        boolean openAi = ErrorShape.openAiPath(path);
        try {
            requestCaller.set(keys.admit(request.getHeaderString("Authorization")));
            return Optional.empty();
        } catch (Unauthenticated e) {
            return Optional.of(Response.fromResponse(error(401, openAi ? "invalid_request_error" : "UNAUTHENTICATED",
                    openAi, e.getMessage())).header("WWW-Authenticate", "Bearer").build());
        } catch (RateLimited e) {
            return Optional.of(Response.fromResponse(error(429, openAi ? "rate_limit_error" : "RESOURCE_EXHAUSTED",
                    openAi, e.getMessage())).header("Retry-After", Long.toString(e.retryAfterSeconds())).build());
        }
    }

    private Response error(int status, String code, boolean openAi, String message) {
        String body = openAi ? shape.openAi(code, "Authorization", message, null) : shape.own(code, "Authorization", message);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
