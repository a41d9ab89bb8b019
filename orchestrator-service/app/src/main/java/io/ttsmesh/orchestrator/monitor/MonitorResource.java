package io.ttsmesh.orchestrator.monitor;

import io.ttsmesh.orchestrator.http.ErrorShape;
import io.smallrye.common.annotation.Blocking;
import io.ttsmesh.search.RequestId;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.util.List;

/**
 * The monitor's data, for the page at {@code /monitor/} (static files in META-INF/resources/monitor):
 * <ul>
 *   <li>{@code GET /monitor/api/overview} (server-sent events): {@code overview} messages, the first one
 *   whole ({@code "full": true}), then every overview-interval the counters, pods and changed searches.</li>
 *   <li>{@code GET /monitor/api/searches/{request_id}/events} (server-sent events): {@code events} messages,
 *   each a JSON array of SearchEvents (proto3 JSON, as on the Solve stream), first those kept so far, then
 *   live ones; a {@code live} message marks the end of the snapshot. The search may start later (a page
 *   that just submitted it).</li>
 *   <li>Either stream sends {@code dropped} ({@code {"dropped": n}}) once the browser fell behind and
 *   messages were dropped; the page then reconnects for a fresh snapshot.</li>
 *   <li>{@code GET /monitor/api/overview.json}: the whole overview once, as plain JSON.</li>
 * </ul>
 * 503 when max-subscribers streams are open; 404 when the monitor is off.
 */
@Path("/monitor/api")
public class MonitorResource {


    private final SearchBoard board;
    private final OverviewFeed overview;
    private final MonitorConfig config;
    private final ErrorShape shape;

    MonitorResource(SearchBoard board, OverviewFeed overview, MonitorConfig config, ErrorShape shape) {
        this.shape = shape;
        this.board = board;
        this.overview = overview;
        this.config = config;
    }

    @GET
    @Path("/overview.json")
    @Produces(MediaType.APPLICATION_JSON)
    public String overviewOnce() {
        requireEnabled();
        return overview.full();
    }

    @GET
    @Path("/overview")
    @Blocking // the first picture asks the pods (Describe)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void overview(@Context SseEventSink sink, @Context Sse sse) {
        requireEnabled();
        Subscriber s = board.watchOverview();
        if (s == null) {
            throw tooMany();
        }
        start(s, List.of(new MonitorMessage.Json("overview", overview.fullWithFreshPods())), sink, sse);
    }

    @GET
    @Path("/searches/{requestId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void search(@PathParam("requestId") String requestId, @Context SseEventSink sink, @Context Sse sse) {
        requireEnabled();
        String badId = RequestId.problem(requestId);
        if (badId != null) {
            throw error(Response.Status.BAD_REQUEST, "INVALID_ARGUMENT", "request_id", badId);
        }
        SearchBoard.Watch watch = board.watchSearch(requestId);
        if (watch == null) {
            throw tooMany();
        }
        start(watch.subscriber(), watch.snapshot(), sink, sse);
    }

    private void start(Subscriber s, List<MonitorMessage> snapshot, SseEventSink sink, Sse sse) {
        try {
            s.stream(snapshot, sink, sse, config.heartbeat(), config.sendTimeout());
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void requireEnabled() {
        if (!config.enabled()) {
            throw error(Response.Status.NOT_FOUND, "NOT_FOUND", "path", "the monitor is off (tts.orchestrator.monitor.enabled)");
        }
    }

    private WebApplicationException tooMany() {
        return error(Response.Status.SERVICE_UNAVAILABLE, "UNAVAILABLE", "",
                config.maxSubscribers() + " monitor streams are open (tts.orchestrator.monitor.max-subscribers); close one or retry later");
    }

    /** The REST API's error shape: {@code {"error": {"code", "field", "message"}}}. */
    private WebApplicationException error(Response.Status status, String code, String field, String message) {
        return new WebApplicationException(Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(shape.own(code, field, message)).build());
    }
}
