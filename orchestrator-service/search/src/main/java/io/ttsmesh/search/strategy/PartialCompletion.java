package io.ttsmesh.search.strategy;

import io.ttsmesh.search.budget.BudgetExhausted;
import io.ttsmesh.search.tree.Branch;
import io.ttsmesh.search.tree.SearchTree;

import java.util.List;
import java.util.Map;

/**
 * Completing a partial solution to its end when a step search's expansion budget (best-first's expansions,
 * MCTS's iterations) has run out before any solution finished: without it such a search answers nothing,
 * however close its best prefix was. The completion is a whole sample from the prefix, the same extension
 * sampling strategies take, through the budgeted session and shaped by the policies; it is announced by a
 * {@code PolicyDecision} with action {@value #ACTION}, so a reader of the events sees why a branch went on
 * past the strategy's own end.
 */
final class PartialCompletion {

    /** The {@code PolicyDecision} action that announces a completion. */
    static final String ACTION = "complete_partial";

    /** Added to the result's stop detail when the answer came from a completed partial solution. */
    static final String NOTE = "the expansion budget ran out before any solution finished; "
            + "the best partial solution was completed to its end";

    private PartialCompletion() {
    }

    /**
     * Announces, then samples {@code partial} (live) to its end and scores it when the verifier budget allows
     * (the score is not needed to answer). Returns the branch that carries the completion.
     *
     * @throws BudgetExhausted when the token budget cannot start the completion or runs out before it ends (the
     *         runner then stops the search with {@code TOKEN_BUDGET} and answers from what is there; the
     *         announcement just before tells why tokens were still being spent)
     */
    static Branch complete(SearchTree tree, Branch partial, String strategy, String reason, Map<String, Double> values) {
        tree.decision(strategy, ACTION, reason, List.of(partial), values);
        Branch done = tree.sample(List.of(partial)).get(0);
        tree.scoreIfAffordable(List.of(done));
        return done;
    }
}
