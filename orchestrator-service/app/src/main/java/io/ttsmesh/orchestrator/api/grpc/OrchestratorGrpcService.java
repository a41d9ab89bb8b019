package io.ttsmesh.orchestrator.api.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.ttsmesh.orchestrator.OrchestratorConfig;
import io.ttsmesh.orchestrator.events.CatalogMessages;
import io.ttsmesh.orchestrator.events.DetailFilter;
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

/**
 * The public gRPC API. Solve streams the search's progress (filtered by the request's detail) and ends
 * with search_finished; a call the client cancels (or whose deadline passes) interrupts the search.
 * Errors: INVALID_ARGUMENT naming the field, RESOURCE_EXHAUSTED at once when full, NOT_FOUND for jobs.
 */
@GrpcService
public class OrchestratorGrpcService implements Orchestrator {

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
        return Multi.createFrom().<SearchEvent>emitter(emitter -> {
                    RunningSearch search;
                    try {
                        search = searches.start(request, event -> {
                            if (DetailFilter.wants(request.getDetail(), event)) {
                                emitter.emit(event);
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
            return Uni.createFrom().item(jobs.submit(request));
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

    static StatusRuntimeException status(RuntimeException e) {
        Status status = switch (e) {
            case InvalidRequest invalid -> Status.INVALID_ARGUMENT.withDescription(invalid.getMessage());
            case OverCapacity over -> Status.RESOURCE_EXHAUSTED.withDescription(over.getMessage());
            case UnknownJob unknown -> Status.NOT_FOUND.withDescription(unknown.getMessage());
            case StatusRuntimeException s -> s.getStatus();
            default -> Status.INTERNAL.withDescription(e.toString());
        };
        return status.asRuntimeException();
    }
}
