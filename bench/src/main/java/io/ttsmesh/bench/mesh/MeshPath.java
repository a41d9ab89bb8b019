package io.ttsmesh.bench.mesh;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.ttsmesh.bench.SolveRequestProto;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.ListStrategiesRequest;
import io.ttsmesh.proto.orchestrator.OrchestratorGrpc;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.proto.orchestrator.StrategyCatalog;
import io.ttsmesh.search.SearchRequest;

import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Searches through the orchestrator's gRPC {@code Solve} at localhost, as a client would: one call per search,
 * result-only detail, the result read from the stream's last event. Errors of the call (RESOURCE_EXHAUSTED, ...)
 * reach the caller as {@link io.grpc.StatusRuntimeException}.
 */
final class MeshPath implements SearchPath {

    /** Time the client waits beyond the search's own deadline before giving up. */
    private static final long GRACE_MS = 30_000;

    private final ManagedChannel channel;
    private final OrchestratorGrpc.OrchestratorBlockingStub stub;

    MeshPath(int orchestratorGrpcPort) {
        this.channel = NettyChannelBuilder.forAddress("localhost", orchestratorGrpcPort).usePlaintext()
                .maxInboundMessageSize(16 << 20).build();
        this.stub = OrchestratorGrpc.newBlockingStub(channel);
    }

    @Override
    public String name() {
        return "mesh";
    }

    StrategyCatalog catalog() {
        return stub.withDeadlineAfter(30, TimeUnit.SECONDS).listStrategies(ListStrategiesRequest.getDefaultInstance());
    }

    @Override
    public SearchOutcome solve(SearchRequest request) {
        SolveRequest req = SolveRequestProto.of(request, Detail.RESULT_ONLY);
        long wait = request.budget().deadline().toMillis() + GRACE_MS;
        long start = System.nanoTime();
        Iterator<SearchEvent> events = stub.withDeadlineAfter(wait, TimeUnit.MILLISECONDS).solve(req);
        while (events.hasNext()) {
            SearchEvent e = events.next();
            if (e.hasSearchFinished()) {
                long wall = System.nanoTime() - start;
                drain(events);
                return outcome(e.getSearchFinished().getResult(), wall);
            }
        }
        throw new IllegalStateException("the orchestrator ended the Solve stream of " + request.requestId() + " without a result");
    }

    /** The stream ends right after the result; reading to its end lets the call finish cleanly. */
    private static void drain(Iterator<SearchEvent> events) {
        while (events.hasNext()) {
            events.next();
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
