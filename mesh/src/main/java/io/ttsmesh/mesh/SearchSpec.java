package io.ttsmesh.mesh;

import io.ttsmesh.proto.events.Budget;
import io.ttsmesh.proto.events.Method;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.SolveRequest;

import java.util.Map;

/**
 * The search the mesh's commands ask for: a strategy with its parameters and the request's hard budget.
 *
 * @param strategy          a strategy of the orchestrator's catalog (ListStrategies), e.g. beam_search
 * @param params            its parameters, e.g. n=4
 * @param maxTokens         generated tokens, probes included
 * @param maxVerifierCalls  candidates scored
 * @param deadlineMs        wall time
 */
public record SearchSpec(String strategy, Map<String, String> params, long maxTokens, int maxVerifierCalls, int deadlineMs) {

    public SearchSpec {
        params = Map.copyOf(params);
    }

    public Budget budget() {
        return Budget.newBuilder().setMaxTokens(maxTokens).setMaxVerifierCalls(maxVerifierCalls).setDeadlineMs(deadlineMs).build();
    }

    public SolveRequest request(String requestId, String question, Detail detail) {
        return SolveRequest.newBuilder()
                .setRequestId(requestId)
                .setQuestion(question)
                .setStrategy(Method.newBuilder().setName(strategy).putAllParams(params))
                .setBudget(budget())
                .setDetail(detail)
                .build();
    }

    @Override
    public String toString() {
        return strategy + params + ", budget " + maxTokens + " tokens / " + maxVerifierCalls + " verifier calls / " + deadlineMs + " ms";
    }
}
