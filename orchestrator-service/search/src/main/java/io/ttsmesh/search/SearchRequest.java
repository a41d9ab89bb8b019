package io.ttsmesh.search;

import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;
import io.ttsmesh.search.settings.SearchSettings;

import java.util.List;

/**
 * One search: a question of a task, the strategy and policies that search it, and the budget that bounds it.
 *
 * @param question the question as the client wrote it; validation replaces it by the task's canonical text
 * @param sampling the client's sampling wishes (null fields: server defaults)
 * @param verifier verifier name ("prm", "orm", "rules", "oracle", "exact", "confidence") or a stack "rules+prm";
 *                 null or empty: the task's default
 * @param task     the task the question belongs to ("arithmetic", "countdown"); null or empty: the runner's default task
 * @param allowDegraded whether, when no verifier answers (UNAVAILABLE after the ports' retries), the search may answer
 *                      by an unscored vote ({@link StopReason#DEGRADED}) instead of failing; null: the server's
 *                      default ({@link SearchSettings#degradedMode()})
 */
public record SearchRequest(String requestId, String question, MethodSpec strategy, List<MethodSpec> policies,
                            Budget budget, SamplingParams sampling, String verifier, Aggregation aggregation,
                            String task, Boolean allowDegraded) {

    public SearchRequest {
        policies = List.copyOf(policies);
    }

    /** A request that leaves degraded mode to the server's default. */
    public SearchRequest(String requestId, String question, MethodSpec strategy, List<MethodSpec> policies,
                         Budget budget, SamplingParams sampling, String verifier, Aggregation aggregation, String task) {
        this(requestId, question, strategy, policies, budget, sampling, verifier, aggregation, task, null);
    }

    /** A request of the default task. */
    public SearchRequest(String requestId, String question, MethodSpec strategy, List<MethodSpec> policies,
                         Budget budget, SamplingParams sampling, String verifier, Aggregation aggregation) {
        this(requestId, question, strategy, policies, budget, sampling, verifier, aggregation, null, null);
    }

    public SearchRequest withTask(String name) {
        return new SearchRequest(requestId, question, strategy, policies, budget, sampling, verifier, aggregation, name, allowDegraded);
    }

    public SearchRequest withQuestion(String text) {
        return new SearchRequest(requestId, text, strategy, policies, budget, sampling, verifier, aggregation, task, allowDegraded);
    }

    public SearchRequest withAllowDegraded(Boolean allow) {
        return new SearchRequest(requestId, question, strategy, policies, budget, sampling, verifier, aggregation, task, allow);
    }
}
