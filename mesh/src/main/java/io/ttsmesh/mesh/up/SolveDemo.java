package io.ttsmesh.mesh.up;

import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.ttsmesh.mesh.SearchSpec;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.events.Spend;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.OrchestratorGrpc;

import java.io.PrintStream;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/** Solves one question through the orchestrator's gRPC Solve, printing a few progress lines, then the result. */
public final class SolveDemo {

    private final ManagedChannel channel;
    private final PrintStream out;
    private final int progressLines;

    public SolveDemo(ManagedChannel channel, PrintStream out, int progressLines) {
        this.channel = channel;
        this.out = out;
        this.progressLines = progressLines;
    }

    /** Solves a question of {@code task} (null: the default task). */
    public SolveResult solve(String requestId, String task, String question, SearchSpec spec) {
        out.printf("%nSolving \"%s\"%s with %s (gRPC Solve, request id %s)%n", question, task == null ? "" : " (" + task + ")",
                spec, requestId);
        Iterator<SearchEvent> events = OrchestratorGrpc.newBlockingStub(channel)
                .withDeadline(Deadline.after(spec.deadlineMs() + 30_000L, TimeUnit.MILLISECONDS))
                .solve(spec.request(requestId, task, question, Detail.STEPS));
        int shown = 0;
        int hidden = 0;
        while (events.hasNext()) {
            SearchEvent e = events.next();
            if (e.hasSearchFinished()) {
                if (hidden > 0) {
                    out.printf("  ... %d more events (watch them all on the monitor page or tts.events)%n", hidden);
                }
                return e.getSearchFinished().getResult();
            }
            if (shown < progressLines) {
                out.println("  " + describe(e));
                shown++;
            } else {
                hidden++;
            }
        }
        throw new IllegalStateException("the Solve stream of " + requestId + " ended without a result");
    }

    static String describe(SearchEvent e) {
        return switch (e.getPayloadCase()) {
            case STARTED -> "started: " + e.getStarted().getStrategy().getName()
                    + (e.getStarted().getTask().isEmpty() ? "" : " (" + e.getStarted().getTask() + ")")
                    + " on generator " + e.getStarted().getGenerator();
            case BRANCHES_STARTED -> "branches " + e.getBranchesStarted().getBranchIdsList() + " started ("
                    + e.getBranchesStarted().getPromptTokens() + " prompt tokens)";
            case STEP -> "branch " + e.getStep().getBranchId() + " step " + e.getStep().getStepIndex() + ": "
                    + e.getStep().getText().strip() + " (" + e.getStep().getTokens() + " tokens)";
            case SCORED -> String.format("branch %d step %d scored %.3f", e.getScored().getBranchId(), e.getScored().getStepIndex(),
                    e.getScored().getScore());
            case PRUNED -> "branch " + e.getPruned().getBranchId() + " pruned by " + e.getPruned().getBy() + ": " + e.getPruned().getReason();
            case FORKED -> "branch " + e.getForked().getParentId() + " forked into " + e.getForked().getChildIdsList();
            case FINISHED -> "branch " + e.getFinished().getBranchId() + " finished: " + e.getFinished().getAnswer();
            case DECISION -> e.getDecision().getPolicy() + " " + e.getDecision().getAction() + ": " + e.getDecision().getReason();
            case BUDGET_EXHAUSTED -> "budget exhausted: " + e.getBudgetExhausted().getResource();
            case SEARCH_FINISHED -> "finished";
            case PAYLOAD_NOT_SET -> "event " + e.getSequence();
        } + "  [" + spend(e.getSpend()) + "]";
    }

    public static String spend(Spend s) {
        return String.format("%d tokens generated (+%d prefill), %d verifier calls, %d ms, %d branches",
                s.getGeneratedTokens(), s.getPrefillTokens(), s.getVerifierCalls(), s.getWallMs(), s.getBranches());
    }
}
