package io.ttsmesh.search.tree;

import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.budget.Spend;
import io.ttsmesh.search.scoring.Aggregation;

import java.util.List;
import java.util.random.RandomGenerator;

/** What anyone may read of a search: its request and settings, its branches, and what is left of its budget. */
public interface SearchView {

    SearchRequest request();

    SearchSettings settings();

    /** The search's random source, seeded from the request: the same seed makes the same decisions. */
    RandomGenerator random();

    Aggregation aggregation();

    Budget budget();

    Spend spend();

    long tokensLeft();

    int verifierCallsLeft();

    /** Every branch of the search, in order of creation. */
    List<Branch> branches();

    List<Branch> live();

    List<Branch> finished();

    /** Finished branches that take part in answer selection (not excluded by a policy). */
    List<Branch> voters();
}
