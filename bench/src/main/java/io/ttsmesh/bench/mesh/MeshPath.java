package io.ttsmesh.bench.mesh;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.ttsmesh.proto.events.Budget;
import io.ttsmesh.proto.events.Method;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.ListStrategiesRequest;
import io.ttsmesh.proto.orchestrator.OrchestratorGrpc;
import io.ttsmesh.proto.orchestrator.SamplingOptions;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.proto.orchestrator.StrategyCatalog;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.generation.SamplingParams;

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
        SolveRequest.Builder req = SolveRequest.newBuilder()
                .setRequestId(request.requestId())
                .setQuestion(request.question())
                .setStrategy(method(request.strategy()))
                .setBudget(Budget.newBuilder().setMaxTokens(request.budget().maxTokens())
                        .setMaxVerifierCalls(request.budget().maxVerifierCalls())
                        .setDeadlineMs((int) request.budget().deadline().toMillis()))
                .setSampling(sampling(request.sampling()))
                .setDetail(Detail.RESULT_ONLY);
        request.policies().forEach(p -> req.addPolicies(method(p)));
        if (request.verifier() != null) {
            req.setVerifier(request.verifier());
        }
        if (request.aggregation() != null) {
            req.setAggregation(request.aggregation().wireName());
        }
        long wait = request.budget().deadline().toMillis() + GRACE_MS;
        long start = System.nanoTime();
        Iterator<SearchEvent> events = stub.withDeadlineAfter(wait, TimeUnit.MILLISECONDS).solve(req.build());
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

    private static Method method(MethodSpec spec) {
        return Method.newBuilder().setName(spec.name()).putAllParams(spec.params()).build();
    }

    private static SamplingOptions sampling(SamplingParams s) {
        SamplingOptions.Builder b = SamplingOptions.newBuilder();
        if (s == null) {
            return b.build();
        }
        if (s.temperature() != null) {
            b.setTemperature(s.temperature());
        }
        if (s.topP() != null) {
            b.setTopP(s.topP());
        }
        if (s.topK() != null) {
            b.setTopK(s.topK());
        }
        if (s.seed() != null) {
            b.setSeed(s.seed());
        }
        return b.build();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
