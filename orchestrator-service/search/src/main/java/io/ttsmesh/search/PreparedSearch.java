package io.ttsmesh.search;

import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.routing.RoutedSelector;
import io.ttsmesh.search.strategy.Strategy;
import io.ttsmesh.search.tree.Policy;

import java.util.List;

/**
 * A validated request, ready to run: fresh strategy and policy instances (they keep per-search state),
 * the policies as they run (with defaults), the verifier and the sampling with server defaults filled in.
 *
 * @param selection what the routed strategy chose (the strategy is the route's), or null when the request named
 *                  the strategy itself
 */
record PreparedSearch(SearchRequest request, Strategy strategy, List<Policy> policies, List<MethodSpec> policySpecs,
                      String verifier, SamplingParams sampling, RoutedSelector.Selection selection) {
}
