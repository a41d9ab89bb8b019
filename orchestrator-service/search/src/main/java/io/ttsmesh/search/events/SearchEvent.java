package io.ttsmesh.search.events;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.budget.Spend;

import java.util.List;
import java.util.Map;

/**
 * One decision of a search (mirrors events.proto). The search numbers its events 1, 2, 3, ... without
 * gaps and stamps each with the spend at that moment; consumers (the Solve stream, Kafka, the monitor)
 * map them to their wire formats.
 */
public record SearchEvent(String requestId, long sequence, long timeUnixMs, Spend spend, Payload payload) {

    /** What happened. */
    public sealed interface Payload permits Started, BranchesStarted, BranchStep, BranchScored, BranchPruned,
            BranchForked, BranchFinished, PolicyDecision, BudgetExhausted, Finished {
    }

    /**
     * @param task      the task the question belongs to
     * @param question  the question in the task's canonical text
     * @param generator the generator instance holding the search's branches
     */
    public record Started(String task, String question, MethodSpec strategy, List<MethodSpec> policies, Budget budget,
                          String verifier, String aggregation, String generator) implements Payload {
    }

    public record BranchesStarted(List<Long> branchIds, int promptTokens) implements Payload {
    }

    /**
     * @param stepIndex the step the text starts in (a step cut by a token quota continues in the next event)
     * @param end "delimiter", "eos", "quota", "context_limit", "low_confidence", "cancelled"
     */
    public record BranchStep(long branchId, int stepIndex, String text, int tokens, String end,
                             double meanLogprob) implements Payload {
    }

    /** @param aggregate the branch's aggregated score (last | min | prod | mean) */
    public record BranchScored(long branchId, int stepIndex, double score, double aggregate) implements Payload {
    }

    /** @param by the strategy or policy that dropped the branch */
    public record BranchPruned(long branchId, String by, String reason) implements Payload {
    }

    /** @param atStep the parent's step count at the fork: children share steps 0..atStep-1 */
    public record BranchForked(long parentId, List<Long> childIds, int atStep) implements Payload {
    }

    /**
     * @param end "eos", "context_limit", "low_confidence", "stopped" (ended by the search)
     * @param answer canonical, or null
     * @param aggregate the branch's aggregated score, NaN when it was never scored
     */
    public record BranchFinished(long branchId, String end, String answer, double aggregate) implements Payload {
    }

    /**
     * @param action "prune", "exit", "stop_branch", "quota", "threshold", "choose", "force", ...
     * @param reason why, in words a user understands
     * @param values the numbers behind the decision
     */
    public record PolicyDecision(String policy, String action, String reason, List<Long> branchIds,
                                 Map<String, Double> values) implements Payload {
    }

    /** @param resource "tokens", "verifier_calls" or "deadline" */
    public record BudgetExhausted(String resource) implements Payload {
    }

    public record Finished(SearchResult result) implements Payload {
    }
}
