package io.ttsmesh.bench.eval.execution;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.ttsmesh.bench.SolveRequestProto;
import io.ttsmesh.bench.eval.config.InvalidConfig;
import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.proto.events.Method;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.ListStrategiesRequest;
import io.ttsmesh.proto.orchestrator.MethodInfo;
import io.ttsmesh.proto.orchestrator.OrchestratorGrpc;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.proto.orchestrator.StrategyCatalog;
import io.ttsmesh.proto.orchestrator.TaskInfo;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.budget.Spend;
import io.ttsmesh.search.policy.ComputeOptimal;
import io.ttsmesh.task.TaskRegistry;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs each search through a running orchestrator: one gRPC {@code Solve} call per search, the result read from
 * its last event. Runs with the compute_optimal policy ask for decision events, to record what it chose.
 * A run may not name its own compute-optimal table here: the orchestrator uses the one it was configured with.
 */
public final class MeshBackend implements SearchBackend {

    private final String target;
    private final ManagedChannel channel;
    private final OrchestratorGrpc.OrchestratorBlockingStub stub;
    private final ReentrantLock catalogLock = new ReentrantLock();
    private StrategyCatalog catalog;

    public MeshBackend(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("--orchestrator must be host:port, got '" + hostPort + "'");
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--orchestrator must be host:port, got '" + hostPort + "'");
        }
        this.target = hostPort;
        this.channel = NettyChannelBuilder.forAddress(hostPort.substring(0, colon), port).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        this.stub = OrchestratorGrpc.newBlockingStub(channel);
    }

    @Override
    public String identity() {
        return "mesh";
    }

    @Override
    public void validate(RunConfig run, SearchRequest request) {
        if (run.computeOptimalTable() != null) {
            throw new InvalidConfig("run '" + run.name() + "'.compute_optimal_table: through the mesh the orchestrator "
                    + "uses its own configured table; remove the field or run in-process");
        }
        StrategyCatalog c = catalog();
        String task = request.task() == null || request.task().isBlank() ? TaskRegistry.DEFAULT : request.task();
        if (c.getTasksCount() > 0 && c.getTasksList().stream().noneMatch(t -> t.getName().equals(task))) {
            throw new InvalidConfig("run '" + run.name() + "': the orchestrator does not serve task " + task
                    + " (it serves " + String.join(", ", c.getTasksList().stream().map(TaskInfo::getName).toList()) + ")");
        }
        check(run, "strategy", run.strategy(), c.getStrategiesList());
        for (int i = 0; i < run.policies().size(); i++) {
            check(run, "policies[" + i + "]", run.policies().get(i), c.getPoliciesList());
        }
    }

    private static void check(RunConfig run, String field, MethodSpec spec, List<MethodInfo> known) {
        MethodInfo info = known.stream().filter(m -> m.getName().equals(spec.name())).findFirst().orElseThrow(() ->
                new InvalidConfig("run '" + run.name() + "'." + field + ": the orchestrator knows no '" + spec.name()
                        + "' (it offers " + String.join(", ", known.stream().map(MethodInfo::getName).toList()) + ")"));
        for (String p : spec.params().keySet()) {
            if (info.getParamsList().stream().noneMatch(x -> x.getName().equals(p))) {
                throw new InvalidConfig("run '" + run.name() + "'." + field + ".params." + p + ": " + spec.name()
                        + " has no such parameter");
            }
        }
    }

    private StrategyCatalog catalog() {
        catalogLock.lock();
        try {
            if (catalog == null) {
                catalog = stub.withDeadlineAfter(30, TimeUnit.SECONDS).listStrategies(ListStrategiesRequest.getDefaultInstance());
            }
            return catalog;
        } catch (StatusRuntimeException e) {
            throw new BackendUnavailable("orchestrator " + target + " did not answer ListStrategies: " + e.getStatus(), e);
        } finally {
            catalogLock.unlock();
        }
    }

    @Override
    public SearchOutcome solve(RunConfig run, SearchRequest request) throws InterruptedException {
        boolean decisions = run.hasPolicy(ComputeOptimal.NAME);
        SolveRequest req = SolveRequestProto.of(request, decisions ? Detail.DECISIONS : Detail.RESULT_ONLY);
        if (request.task() != null && !request.task().equals(TaskRegistry.DEFAULT) && req.getTask().isEmpty()) {
            req = req.toBuilder().setTask(request.task()).build();
        }
        Duration wait = request.budget().deadline().plusSeconds(30);
        Double estimate = null;
        Long probeTokens = null;
        try {
            Iterator<SearchEvent> events = stub.withDeadlineAfter(wait.toMillis(), TimeUnit.MILLISECONDS).solve(req);
            while (events.hasNext()) {
                SearchEvent e = events.next();
                if (e.hasDecision() && e.getDecision().getPolicy().equals(ComputeOptimal.NAME)
                        && e.getDecision().getAction().equals("choose")) {
                    estimate = e.getDecision().getValuesMap().get("estimate");
                    probeTokens = e.getSpend().getGeneratedTokens();
                }
                if (e.hasSearchFinished()) {
                    SearchResult result = result(e.getSearchFinished().getResult());
                    return new SearchOutcome(result, decisions ? CompoundChoice.describe(result.strategy()) : null, estimate,
                            probeTokens);
                }
            }
            throw new BackendUnavailable("orchestrator " + target + " ended the Solve stream of " + request.requestId()
                    + " without a result", null);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
                throw new InvalidConfig("run '" + run.name() + "': the orchestrator refused the request: "
                        + e.getStatus().getDescription());
            }
            if (e.getStatus().getCode() == Status.Code.CANCELLED && Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("cancelled");
            }
            throw new BackendUnavailable("orchestrator " + target + ": " + e.getStatus(), e);
        }
    }

    static SearchResult result(SolveResult r) {
        io.ttsmesh.proto.events.Spend s = r.getSpend();
        Spend spend = new Spend(s.getGeneratedTokens(), s.getPrefillTokens(), s.getVerifierCalls(), s.getWallMs(),
                s.getBranches());
        io.ttsmesh.search.budget.Budget budget = new io.ttsmesh.search.budget.Budget(r.getBudget().getMaxTokens(),
                r.getBudget().getMaxVerifierCalls(), Duration.ofMillis(r.getBudget().getDeadlineMs()));
        List<SearchResult.AnswerTally> tallies = r.getAnswersList().stream()
                .map(a -> new SearchResult.AnswerTally(a.getAnswer(), a.getVotes(), a.getScoreSum(), a.getBestScore()))
                .toList();
        StopReason stop = switch (r.getStopReason()) {
            case COMPLETED -> StopReason.COMPLETED;
            case EARLY_EXIT -> StopReason.EARLY_EXIT;
            case TOKEN_BUDGET -> StopReason.TOKEN_BUDGET;
            case VERIFIER_BUDGET -> StopReason.VERIFIER_BUDGET;
            case DEADLINE -> StopReason.DEADLINE;
            case CANCELLED -> StopReason.CANCELLED;
            case DEGRADED -> StopReason.DEGRADED;
            default -> StopReason.FAILED;
        };
        String error = r.getErrorCode() == 0 ? null : Status.fromCodeValue(r.getErrorCode()).getCode().name();
        return new SearchResult(r.getRequestId(), r.getAnswer().isEmpty() ? null : r.getAnswer(), r.getStepsList(),
                r.getBranchId(), r.hasScore() ? r.getScore() : null, stop, r.getStopDetail(), spend, budget,
                spec(r.getStrategy()), r.getPoliciesList().stream().map(MeshBackend::spec).toList(), tallies, error);
    }

    private static MethodSpec spec(Method m) {
        return MethodSpec.of(m.getName(), Map.copyOf(m.getParamsMap()));
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
