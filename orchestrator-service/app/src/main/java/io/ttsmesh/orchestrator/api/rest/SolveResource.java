package io.ttsmesh.orchestrator.api.rest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.ttsmesh.orchestrator.OrchestratorConfig;
import io.ttsmesh.orchestrator.access.RequestCaller;
import io.ttsmesh.orchestrator.api.ProtoJson;
import io.ttsmesh.orchestrator.events.CatalogMessages;
import io.ttsmesh.orchestrator.events.DetailedStream;
import io.ttsmesh.orchestrator.events.EventMessages;
import io.ttsmesh.orchestrator.jobs.Jobs;
import io.ttsmesh.orchestrator.solving.InvalidRequest;
import io.ttsmesh.orchestrator.solving.RunningSearch;
import io.ttsmesh.orchestrator.solving.SearchService;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * The REST API: JSON bodies in the proto3 JSON mapping of orchestrator.proto (snake_case field names as in
 * the .proto; lowerCamelCase is accepted on input).
 * <ul>
 *   <li>{@code POST /v1/solve}: a SolveRequest; answers the SolveResult, or with {@code Accept:
 *   text/event-stream} streams the progress as server-sent events (event = payload name, id = sequence,
 *   data = SearchEvent JSON), the last one {@code search_finished}.</li>
 *   <li>{@code GET /v1/strategies}: the StrategyCatalog.</li>
 *   <li>{@code POST /v1/jobs} (a SolveRequest) and {@code GET /v1/jobs/{request_id}}: asynchronous jobs.</li>
 * </ul>
 * Errors: 400 naming the field, 429 when full (at once), 404 for an unknown job; body
 * {@code {"error": {"code", "field", "message"}}}. A client that disconnects stops its search.
 */
@Path("/v1")
public class SolveResource {

    private final SearchService searches;
    private final Jobs jobs;
    private final int streamBuffer;
    private final RequestCaller caller;

    SolveResource(SearchService searches, Jobs jobs, OrchestratorConfig config, RequestCaller caller) {
        this.caller = caller;
        this.searches = searches;
        this.jobs = jobs;
        this.streamBuffer = config.limits().streamBuffer();
    }

    @POST
    @Path("/solve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<String> solve(String body) {
        RunningSearch search = searches.start(parse(body), caller.get(), event -> {
        });
        return Uni.createFrom().completionStage(search.result())
                .onCancellation().invoke(search::cancel)
                .map(ProtoJson::print);
    }

    @POST
    @Path("/solve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> solveStream(String body, @Context Sse sse) {
        SolveRequest request = parse(body);
        // Admitted here, before the stream opens: a full orchestrator answers 429, not an empty stream.
        // Events wait in a bounded queue until the stream is subscribed; a client that stops reading
        // overflows it, which fails the stream and so cancels the search.
        UnicastProcessor<OutboundSseEvent> events = UnicastProcessor.create(new ArrayBlockingQueue<>(streamBuffer), null);
        DetailedStream stream = new DetailedStream(request.getDetail());
        RunningSearch search = searches.start(request, caller.get(), event -> {
            SearchEvent sent = stream.next(event);
            if (sent != null) {
                events.onNext(sse.newEventBuilder()
                        .name(EventMessages.payloadName(sent))
                        .id(Long.toString(sent.getSequence()))
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(ProtoJson.print(sent))
                        .build());
            }
        });
        search.result().whenComplete((r, t) -> events.onComplete());
        return events.onTermination().invoke(search::cancel);
    }

    @GET
    @Path("/strategies")
    @Produces(MediaType.APPLICATION_JSON)
    public String strategies() {
        return ProtoJson.print(CatalogMessages.catalog(searches.catalog()));
    }

    @POST
    @Path("/jobs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response submit(String body) {
        return Response.accepted(ProtoJson.print(jobs.submit(parse(body), caller.get()))).build();
    }

    @GET
    @Path("/jobs/{requestId}")
    @Produces(MediaType.APPLICATION_JSON)
    public String job(@PathParam("requestId") String requestId) {
        return ProtoJson.print(jobs.get(requestId));
    }

    static SolveRequest parse(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidRequest("body", "a SolveRequest in JSON is required");
        }
        try {
            return ProtoJson.parse(body, SolveRequest.newBuilder()).build();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            String field = ProtoJson.blame(body, SolveRequest.newBuilder());
            throw new InvalidRequest(field, "body".equals(field) ? "not a SolveRequest in JSON: " + e.getMessage()
                    : "not valid in a SolveRequest: " + e.getMessage());
        }
    }
}
