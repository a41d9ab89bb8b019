package io.ttsmesh.search.strategy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.choice.Choice;
import io.ttsmesh.search.tree.SearchTree;

/**
 * A search algorithm over the {@link SearchTree}. One instance serves one search. {@link #search} is
 * straight-line blocking code; it is unwound by an exception when the budget runs out, a policy exits, the
 * deadline passes or the client goes away, after which {@link #choose} still answers from what was found.
 */
public interface Strategy {

    /** The strategy as it runs: its catalog name and every parameter's value. */
    MethodSpec spec();

    boolean needsVerifier();

    /** Runs the search to the strategy's own end. */
    void search(SearchTree tree);

    /**
     * The strategy's answer from what the search has found so far (called after {@link #search} returned or
     * was unwound). May ask the tree to score unscored finished solutions; the tree refuses quietly when the
     * budget, the deadline or a cancellation forbids it.
     */
    Choice choose(SearchTree tree);
}
