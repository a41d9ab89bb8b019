package io.ttsmesh.search;

import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.budget.Spend;

import java.util.List;

/**
 * The answer of a search and the account of it.
 *
 * @param answer canonical answer, or null when none was found
 * @param steps the chosen solution's steps (without delimiters)
 * @param branchId the chosen branch, or -1
 * @param score aggregated verifier score of the chosen solution, or null when it was not scored
 * @param answers every answer the finished branches gave, best first
 * @param errorCode null unless FAILED: a gRPC status code name
 */
public record SearchResult(String requestId, String answer, List<String> steps, long branchId, Double score,
                           StopReason stopReason, String stopDetail, Spend spend, Budget budget,
                           MethodSpec strategy, List<MethodSpec> policies, List<AnswerTally> answers,
                           String errorCode) {

    /** One candidate answer and the evidence for it. */
    public record AnswerTally(String answer, int votes, double scoreSum, double bestScore) {
    }
}
