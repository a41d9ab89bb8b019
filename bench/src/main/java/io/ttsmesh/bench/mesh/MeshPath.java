package io.ttsmesh.bench.mesh;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.ttsmesh.bench.SolveRequestProto;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.ListStrategiesRequest;
import io.ttsmesh.proto.orchestrator.OrchestratorGrpc;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.proto.orchestrator.StrategyCatalog;
import io.ttsmesh.search.SearchRequest;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Searches through the orchestrator's gRPC {@code Solve} at localhost, as a careful client would: one call per
 * search with the async stub on a channel that runs its callbacks on the event loop, result-only detail, the result
 * read from the search_finished event (its arrival is the search's wall time). Errors of the call
 * (RESOURCE_EXHAUSTED, ...) reach the caller as {@link io.grpc.StatusRuntimeException}.
 *
 * <p>Not the blocking stub: its iterator hands every message and every request for the next one between the event
 * loop and the caller's thread, which cost 0.5-0.6 ms more per call than this (a refused {@code Solve} on a warm
 * mesh: 1.0-1.2 ms blocking, 0.45 ms async) and is the client's cost, not the mesh's.
 */
final class MeshPath implements SearchPath {

    /** Time the client waits beyond the search's own deadline before giving up. */
    private static final long GRACE_MS = 30_000;

    private final ManagedChannel channel;
    private final OrchestratorGrpc.OrchestratorBlockingStub stub;
    private final OrchestratorGrpc.OrchestratorStub async;

    MeshPath(int orchestratorGrpcPort) {
        this.channel = NettyChannelBuilder.forAddress("localhost", orchestratorGrpcPort).usePlaintext()
                .maxInboundMessageSize(16 << 20).directExecutor().build();
        this.stub = OrchestratorGrpc.newBlockingStub(channel);
        this.async = OrchestratorGrpc.newStub(channel);
    }

    @Override
    public String name() {
        return "mesh";
    }

    StrategyCatalog catalog() {
        return stub.withDeadlineAfter(30, TimeUnit.SECONDS).listStrategies(ListStrategiesRequest.getDefaultInstance());
    }

    @Override
    public SearchOutcome solve(SearchRequest request) throws InterruptedException {
        SolveRequest req = SolveRequestProto.of(request, Detail.RESULT_ONLY);
        long wait = request.budget().deadline().toMillis() + GRACE_MS;
        CompletableFuture<SearchOutcome> outcome = new CompletableFuture<>();
        long start = System.nanoTime();
        var call = new ClientResponseObserver<SolveRequest, SearchEvent>() {
            private ClientCallStreamObserver<SolveRequest> stream;

            @Override
            public void beforeStart(ClientCallStreamObserver<SolveRequest> requestStream) {
                stream = requestStream;
            }

            @Override
            public void onNext(SearchEvent e) {
                if (e.hasSearchFinished()) {
                    outcome.complete(outcome(e.getSearchFinished().getResult(), System.nanoTime() - start));
                }
            }

            @Override
            public void onError(Throwable t) {
                outcome.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                outcome.completeExceptionally(new IllegalStateException("the orchestrator ended the Solve stream of "
                        + request.requestId() + " without a result"));
            }
        };
        async.withDeadlineAfter(wait, TimeUnit.MILLISECONDS).solve(req, call);
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            call.stream.cancel("the client stopped waiting", null);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static SearchOutcome outcome(SolveResult r, long wallNanos) {
        String error = r.getErrorCode() == 0 ? null : Status.fromCodeValue(r.getErrorCode()).getCode().name();
        return new SearchOutcome(r.getAnswer().isEmpty() ? null : r.getAnswer(), r.getStepsList(),
                r.getSpend().getGeneratedTokens(), r.getSpend().getPrefillTokens(), r.getSpend().getVerifierCalls(),
                r.getStopReason().name(), r.getStopDetail(), error, wallNanos);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
