package io.ttsmesh.search.tree;

import java.util.List;

/**
 * How a search takes one step on each of a set of branches. The default samples one candidate per
 * branch; a policy may replace it (rollover budget forcing samples candidates until one is good enough).
 */
public interface StepExpansion {

    /**
     * Advances each live branch by one accepted step and returns, in the same order, the branch that now
     * carries it (the same branch, or a fork of it that replaced it); entries that were not live come back
     * unchanged.
     */
    List<Branch> expand(SearchTree tree, List<Branch> branches);
}
