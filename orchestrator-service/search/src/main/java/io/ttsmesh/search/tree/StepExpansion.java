package io.ttsmesh.search.tree;

import java.util.List;
import java.util.Map;

/**
 * How a search takes one step on each of a set of branches. The default samples one candidate per branch; a
 * policy may replace it (rollover budget forcing draws candidates until one is good enough). An expansion draws
 * and decides; it cannot start, sample or choose like a strategy.
 */
public interface StepExpansion {

    /**
     * Advances each live branch by one accepted step and returns, in the same order, the branch that now
     * carries it (the same branch, or a candidate that replaced it); entries that were not live come back
     * unchanged.
     */
    List<Branch> expand(Draws draws, List<Branch> branches);

    /** What an expansion may do: draw candidate steps, and decide which of them carry the branches on. */
    interface Draws extends Decisions {

        /**
         * Forks {@code perParent} candidates of every parent and takes one step on all of them in one generator
         * call, then scores them in one verifier call. Returns each parent's candidates, parents in order.
         *
         * @throws io.ttsmesh.search.budget.BudgetExhausted before generating, when the verifier budget cannot
         *         score every candidate
         */
        Map<Branch, List<Branch>> draw(List<Branch> parents, int perParent);
    }
}
