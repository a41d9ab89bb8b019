package io.ttsmesh.search;

import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;

import java.util.List;

/**
 * One search: a question, the strategy and policies that search it, and the budget that bounds it.
 *
 * @param sampling the client's sampling wishes (null fields: server defaults)
 * @param verifier verifier name ("prm", "orm", "exact", "confidence")
 */
public record SearchRequest(String requestId, String question, MethodSpec strategy, List<MethodSpec> policies,
                            Budget budget, SamplingParams sampling, String verifier, Aggregation aggregation) {

    public SearchRequest {
        policies = List.copyOf(policies);
    }
}
