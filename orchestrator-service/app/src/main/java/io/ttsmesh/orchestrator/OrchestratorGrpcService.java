package io.ttsmesh.orchestrator;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.orchestrator.GetJobRequest;
import io.ttsmesh.proto.orchestrator.Job;
import io.ttsmesh.proto.orchestrator.ListStrategiesRequest;
import io.ttsmesh.proto.orchestrator.Orchestrator;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.proto.orchestrator.StrategyCatalog;

@GrpcService
public class OrchestratorGrpcService implements Orchestrator {

    @Override
    public Multi<SearchEvent> solve(SolveRequest request) {
        return Multi.createFrom().failure(Status.UNIMPLEMENTED.withDescription("search not wired yet").asRuntimeException());
    }

    @Override
    public Uni<Job> submit(SolveRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.withDescription("jobs not wired yet").asRuntimeException());
    }

    @Override
    public Uni<Job> get(GetJobRequest request) {
        return Uni.createFrom().failure(Status.UNIMPLEMENTED.withDescription("jobs not wired yet").asRuntimeException());
    }

    @Override
    public Uni<StrategyCatalog> listStrategies(ListStrategiesRequest request) {
        return Uni.createFrom().item(StrategyCatalog.getDefaultInstance());
    }
}
