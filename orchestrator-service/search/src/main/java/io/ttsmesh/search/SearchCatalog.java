package io.ttsmesh.search;

import io.ttsmesh.search.catalog.MethodInfo;
import io.ttsmesh.search.scoring.Aggregation;

import java.util.Arrays;
import java.util.List;

/** What a client may ask for: strategies and policies with their parameters, verifiers, aggregations (ListStrategies). */
public final class SearchCatalog {

    private final List<MethodInfo> strategies;
    private final List<MethodInfo> policies;
    private final List<String> verifiers;

    SearchCatalog(List<MethodInfo> strategies, List<MethodInfo> policies, List<String> verifiers) {
        this.strategies = List.copyOf(strategies);
        this.policies = List.copyOf(policies);
        this.verifiers = List.copyOf(verifiers);
    }

    public List<MethodInfo> strategies() {
        return strategies;
    }

    public List<MethodInfo> policies() {
        return policies;
    }

    public List<String> verifiers() {
        return verifiers;
    }

    public List<String> aggregations() {
        return Arrays.stream(Aggregation.values()).map(Aggregation::wireName).toList();
    }
}
