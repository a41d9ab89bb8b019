package io.ttsmesh.orchestrator.api.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.ttsmesh.orchestrator.OrchestratorConfig;
import io.ttsmesh.orchestrator.access.Caller;
import io.ttsmesh.orchestrator.access.Unauthenticated;
import io.ttsmesh.orchestrator.events.CatalogMessages;
import io.ttsmesh.orchestrator.events.DetailedStream;
import io.ttsmesh.orchestrator.jobs.Jobs;
import io.ttsmesh.orchestrator.solving.InvalidRequest;
import io.ttsmesh.orchestrator.solving.OverCapacity;
import io.ttsmesh.orchestrator.solving.RunningSearch;
import io.ttsmesh.orchestrator.solving.SearchService;
import io.ttsmesh.orchestrator.solving.UnknownJob;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.orchestrator.GetJobRequest;
import io.ttsmesh.proto.orchestrator.Job;
import io.ttsmesh.proto.orchestrator.ListStrategiesRequest;
import io.ttsmesh.proto.orchestrator.Orchestrator;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.proto.orchestrator.StrategyCatalog;
import io.ttsmesh.search.run.PreparedSearch;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The public gRPC API. Solve streams the search's progress (filtered by the request's detail) and ends
 * with search_finished; a call the client cancels interrupts the search, and a client deadline shorter
 * than the budget's shortens the search's deadline.
 * Errors: INVALID_ARGUMENT naming the field, RESOURCE_EXHAUSTED at once when full, NOT_FOUND for jobs.
 */
@GrpcService
public class OrchestratorGrpcService implements Orchestrator {

    private static final long DEADLINE_MARGIN_MS = 100;

    private final SearchService searches;
    private final Jobs jobs;
    private final int streamBuffer;

    OrchestratorGrpcService(SearchService searches, Jobs jobs, OrchestratorConfig config) {
        this.searches = searches;
        this.jobs = jobs;
        this.streamBuffer = config.limits().streamBuffer();
    }

    @Override
    public Multi<SearchEvent> solve(SolveRequest request) {
        Caller caller = Caller.current();
        Deadline clientDeadline = Context.current().getDeadline();
        return Multi.createFrom().<SearchEvent>emitter(emitter -> {
                    RunningSearch search;
                    try {
                        // Checked as the client sent it: an absurd budget is refused, not shortened to the call's deadline.
                        PreparedSearch prepared = withinClientDeadline(searches.check(request), clientDeadline);
                        DetailedStream stream = new DetailedStream(request.getDetail());
                        search = searches.start(prepared, caller, event -> {
                            SearchEvent sent = stream.next(event);
                            if (sent != null) {
                                emitter.emit(sent);
                            }
                        });
                    } catch (RuntimeException e) {
                        emitter.fail(status(e));
                        return;
                    }
                    emitter.onTermination(search::cancel);
                    search.result().whenComplete((result, failure) -> emitter.complete());
                }, BackPressureStrategy.BUFFER)
                // A client that stops reading: after this many unread events its search is cancelled.
                .onOverflow().buffer(streamBuffer);
    }

    @Override
    public Uni<Job> submit(SolveRequest request) {
        try {
            return Uni.createFrom().item(jobs.submit(request, Caller.current()));
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(status(e));
        }
    }

    @Override
    public Uni<Job> get(GetJobRequest request) {
        try {
            return Uni.createFrom().item(jobs.get(request.getRequestId()));
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(status(e));
        }
    }

    @Override
    public Uni<StrategyCatalog> listStrategies(ListStrategiesRequest request) {
        return Uni.createFrom().item(() -> CatalogMessages.catalog(searches.catalog()));
    }

    /**
     * A client deadline shorter than the budget's becomes the budget's deadline (less a margin to deliver
     * the answer), so the search answers with its best so far instead of being cut off without a result.
     */
    static PreparedSearch withinClientDeadline(PreparedSearch prepared, Deadline clientDeadline) {
        if (clientDeadline == null) {
            return prepared;
        }
        long left = clientDeadline.timeRemaining(TimeUnit.MILLISECONDS) - DEADLINE_MARGIN_MS;
        return prepared.withDeadlineAtMost(Duration.ofMillis(Math.max(1, left)));
    }

    static StatusRuntimeException status(RuntimeException e) {
        Status status = switch (e) {
            case InvalidRequest invalid -> Status.INVALID_ARGUMENT.withDescription(invalid.getMessage());
            case OverCapacity over -> Status.RESOURCE_EXHAUSTED.withDescription(over.getMessage());
            case Unauthenticated u -> Status.UNAUTHENTICATED.withDescription(u.getMessage());
            case UnknownJob unknown -> Status.NOT_FOUND.withDescription(unknown.getMessage());
            case StatusRuntimeException s -> s.getStatus();
            default -> Status.INTERNAL.withDescription(e.toString());
        };
        if (e instanceof io.ttsmesh.orchestrator.access.RateLimited limited) {
            var trailers = new io.grpc.Metadata();
            trailers.put(io.grpc.Metadata.Key.of("retry-after", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                    Long.toString(limited.retryAfterSeconds()));
            return status.asRuntimeException(trailers);
        }
        return status.asRuntimeException();
    }
}
