package io.ttsmesh.search;

import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;

import java.util.List;

/**
 * One search: a question of a task, the strategy and policies that search it, and the budget that bounds it.
 *
 * @param question the question as the client wrote it; validation replaces it by the task's canonical text
 * @param sampling the client's sampling wishes (null fields: server defaults)
 * @param verifier verifier name ("prm", "orm", "rules", "oracle", "exact", "confidence") or a stack "rules+prm";
 *                 null or empty: the task's default
 * @param task     the task the question belongs to ("arithmetic", "countdown"); null or empty: the runner's default task
 */
public record SearchRequest(String requestId, String question, MethodSpec strategy, List<MethodSpec> policies,
                            Budget budget, SamplingParams sampling, String verifier, Aggregation aggregation,
                            String task) {

    public SearchRequest {
        policies = List.copyOf(policies);
    }

    /** A request of the default task. */
    public SearchRequest(String requestId, String question, MethodSpec strategy, List<MethodSpec> policies,
                         Budget budget, SamplingParams sampling, String verifier, Aggregation aggregation) {
        this(requestId, question, strategy, policies, budget, sampling, verifier, aggregation, null);
    }

    public SearchRequest withTask(String name) {
        return new SearchRequest(requestId, question, strategy, policies, budget, sampling, verifier, aggregation, name);
    }

    public SearchRequest withQuestion(String text) {
        return new SearchRequest(requestId, text, strategy, policies, budget, sampling, verifier, aggregation, task);
    }
}
