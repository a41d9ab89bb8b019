package io.ttsmesh.search.tree;

import java.util.Collection;
import java.util.Map;

/**
 * What a policy may do while a generator call is still answering (a step arrives, a branch finishes) and after
 * a scoring call: decide, never generate or score. Each decision is reported under the policy's name.
 */
public interface Decisions extends SearchView {

    /** Cancels these live branches and leaves these finished ones out of the vote, each with a BranchPruned event. */
    void prune(Collection<Branch> branches, String reason);

    /**
     * Leaves finished branches out of the vote (a BranchPruned event each).
     *
     * @throws IllegalArgumentException for a branch that has not finished
     */
    void exclude(Collection<Branch> finished, String reason);

    /**
     * Ends the search early: branches generating right now are cancelled, and the strategy is unwound at the
     * next safe point. The first exit wins.
     *
     * @param answer the answer the policy is sure of (the choice is then made among its solutions), or null
     */
    void exit(String reason, String answer, Map<String, Double> values);

    /** Reports a decision (a PolicyDecision event). */
    void decide(String action, String reason, Collection<Branch> concerned, Map<String, Double> values);
}
