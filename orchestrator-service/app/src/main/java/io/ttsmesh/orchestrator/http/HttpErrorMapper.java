package io.ttsmesh.orchestrator.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The HTTP errors the REST layer raises itself, before or around any resource method (no such path, a
 * method or content type the path does not take, a body over the limit, an Accept it cannot satisfy), and
 * bugs, written in the {@link ErrorShape} of the path asked.
 */
public class HttpErrorMapper {

    private static final Logger LOG = Logger.getLogger(HttpErrorMapper.class);

    private final ErrorShape shape;
    private final String maxBody;

    HttpErrorMapper(ErrorShape shape, @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.shape = shape;
        this.maxBody = Long.toString(maxBody.asLongValue());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        Response given = e.getResponse();
        if (given.hasEntity()) {
            return given; // already written in the shape by whoever threw it
        }
        String path = request.path();
        String method = request.method().name();
        Response response = switch (e) {
            case NotFoundException ignored -> shape.response(path, 404, "path", "no such path: " + method + " " + path);
            case NotAllowedException ignored -> shape.response(path, 405, "method", method + " is not allowed on " + path
                    + "; allowed: " + String.join(", ", given.getAllowedMethods()));
            case NotSupportedException ignored -> shape.response(path, 415, "Content-Type", "the body of " + method + " " + path
                    + " must be application/json" + contentType(request));
            case NotAcceptableException ignored -> shape.response(path, 406, "Accept", path + " cannot answer in "
                    + request.getHeader(HttpHeaders.ACCEPT));
            default -> given.getStatus() == 413 ? tooLarge(path)
                    : shape.response(path, given.getStatus(), "", given.getStatusInfo().getReasonPhrase());
        };
        if (!given.getAllowedMethods().isEmpty()) {
            response = Response.fromResponse(response).allow(given.getAllowedMethods()).build();
        }
        return response;
    }

    /** A bug (every expected failure has its own mapper): 500 in the shape, the details in the log. */
    @ServerExceptionMapper
    public Response bug(RuntimeException e, HttpServerRequest request) {
        LOG.errorf(e, "%s %s failed", request.method(), request.path());
        return shape.response(request.path(), 500, "", "internal error: " + e.getClass().getSimpleName());
    }

    Response tooLarge(String path) {
        return shape.response(path, 413, "body", "the body is larger than " + maxBody
                + " bytes (quarkus.http.limits.max-body-size)");
    }

    private static String contentType(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return type == null ? " (none was sent)" : " (was " + type + ")";
    }
}
