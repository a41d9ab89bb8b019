package io.ttsmesh.orchestrator.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP errors answered below the REST layer, by the HTTP server itself: a path no route serves, and a
 * body over {@code quarkus.http.limits.max-body-size} (refused before it is read). Without these the
 * server answers an HTML page or an empty body; here they get the {@link ErrorShape} of the path asked.
 */
@ApplicationScoped
public class HttpErrorRoutes {

    /** How long, and how much, an over-long body is read and dropped after its 413 before the connection closes. */
    static final long LINGER_MS = 2_000;
    static final long LINGER_BYTES = 16L << 20;

    private final ErrorShape shape;
    private final long maxBody;
    private final Vertx vertx;

    HttpErrorRoutes(ErrorShape shape, @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody,
                    Vertx vertx) {
        this.shape = shape;
        this.maxBody = maxBody.asLongValue();
        this.vertx = vertx;
    }

    void install(@Observes Router router) {
        // Ahead of Quarkus's own check (order -2), which answers an empty 413: a declared length over the limit.
        router.route().order(-3).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && isOver(length)) {
                boolean http1 = ctx.request().version() != HttpVersion.HTTP_2;
                if (http1) {
                    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                }
                write(ctx, 413, "body", tooLarge());
                if (http1) {
                    lingerThenClose(ctx.request());
                }
            } else {
                ctx.next();
            }
        });
        router.errorHandler(404, ctx -> write(ctx, 404, "path", "no such path: " + ctx.request().method() + " " + ctx.request().path()));
        router.errorHandler(405, ctx -> write(ctx, 405, "method", ctx.request().method() + " is not allowed on " + ctx.request().path()));
        router.errorHandler(413, ctx -> write(ctx, 413, "body", tooLarge()));
        // Failures with a status and no exception (a body over the limit, ...) reach the failure handlers
        // first; this one, ahead of Quarkus's, writes them in the shape instead of an empty body.
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            int status = ctx.statusCode();
            if (ctx.failure() == null && !ctx.response().headWritten() && (status == 404 || status == 405 || status == 413 || status == 415)) {
                write(ctx, status, switch (status) {
                    case 404 -> "path";
                    case 405 -> "method";
                    case 413 -> "body";
                    default -> "Content-Type";
                }, switch (status) {
                    case 404 -> "no such path: " + ctx.request().method() + " " + ctx.request().path();
                    case 405 -> ctx.request().method() + " is not allowed on " + ctx.request().path();
                    case 413 -> tooLarge();
                    default -> "the body must be application/json";
                });
            } else {
                ctx.next();
            }
        });
    }

    /**
     * Reads and drops the rest of the body, for at most {@link #LINGER_MS} and {@link #LINGER_BYTES}, then closes
     * the connection, as web servers' lingering close does. Closing at once, with the body still arriving, makes
     * the kernel reset the connection, and a client that sends its whole body before it reads (the JDK's
     * HttpClient, Python's requests) then loses the 413 and sees a broken connection instead.
     */
    private void lingerThenClose(HttpServerRequest request) {
        HttpConnection connection = request.connection();
        long timer = vertx.setTimer(LINGER_MS, id -> connection.close());
        AtomicLong drained = new AtomicLong();
        request.handler(chunk -> {
            if (drained.addAndGet(chunk.length()) > LINGER_BYTES) {
                vertx.cancelTimer(timer);
                connection.close();
            }
        });
        request.endHandler(end -> {
            vertx.cancelTimer(timer);
            connection.close();
        });
        request.resume();
    }

    private boolean isOver(String contentLength) {
        try {
            return Long.parseLong(contentLength.strip()) > maxBody;
        } catch (NumberFormatException e) {
            return false; // Quarkus's own handling answers a malformed length
        }
    }

    private String tooLarge() {
        return "the body is larger than " + maxBody + " bytes (quarkus.http.limits.max-body-size)";
    }

    private void write(RoutingContext ctx, int status, String field, String message) {
        if (ctx.response().headWritten()) {
            ctx.response().end();
            return;
        }
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(shape.body(ctx.request().path(), status, field, message));
    }
}
