package io.ttsmesh.mesh;

import io.ttsmesh.proto.events.Budget;
import io.ttsmesh.proto.events.Method;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.SolveRequest;

import java.util.Map;

/**
 * The search the mesh's commands ask for: a strategy with its parameters, the verifier, and the request's hard budget.
 *
 * @param strategy          a strategy of the orchestrator's catalog (ListStrategies), e.g. beam_search
 * @param params            its parameters, e.g. n=4
 * @param maxTokens         generated tokens, probes included
 * @param maxVerifierCalls  candidates scored
 * @param deadlineMs        wall time
 * @param verifier          the verifier ("prm", "rules+prm", ...); null: the orchestrator's default for the task
 */
public record SearchSpec(String strategy, Map<String, String> params, long maxTokens, int maxVerifierCalls, int deadlineMs,
                         String verifier) {

    public SearchSpec {
        params = Map.copyOf(params);
    }

    /** With the orchestrator's default verifier. */
    public SearchSpec(String strategy, Map<String, String> params, long maxTokens, int maxVerifierCalls, int deadlineMs) {
        this(strategy, params, maxTokens, maxVerifierCalls, deadlineMs, null);
    }

    public SearchSpec withVerifier(String name) {
        return new SearchSpec(strategy, params, maxTokens, maxVerifierCalls, deadlineMs, name);
    }

    public Budget budget() {
        return Budget.newBuilder().setMaxTokens(maxTokens).setMaxVerifierCalls(maxVerifierCalls).setDeadlineMs(deadlineMs).build();
    }

    /** A request of the default task. */
    public SolveRequest request(String requestId, String question, Detail detail) {
        return request(requestId, null, question, detail);
    }

    /** A request of {@code task} (null: the default task, the field left empty). */
    public SolveRequest request(String requestId, String task, String question, Detail detail) {
        SolveRequest.Builder b = SolveRequest.newBuilder()
                .setRequestId(requestId)
                .setQuestion(question)
                .setStrategy(Method.newBuilder().setName(strategy).putAllParams(params))
                .setBudget(budget())
                .setDetail(detail);
        if (task != null) {
            b.setTask(task);
        }
        if (verifier != null) {
            b.setVerifier(verifier);
        }
        return b.build();
    }

    @Override
    public String toString() {
        // Parameters the client left out take the catalog's defaults, which only the orchestrator knows: say so
        // rather than print "beam_search{}" for a search that ran with n=8.
        String shown = params.isEmpty() ? " (catalog defaults)" : " " + params;
        return strategy + shown + (verifier == null ? "" : ", verifier " + verifier)
                + ", budget " + maxTokens + " tokens / " + maxVerifierCalls + " verifier calls / " + deadlineMs + " ms";
    }
}
