package io.ttsmesh.search.policy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchSettings;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.strategy.Strategies;
import io.ttsmesh.search.strategy.Strategy;

import java.util.List;
import java.util.function.Function;

/** The catalog of policies. */
public final class Policies {

    private Policies() {
    }

    public static List<MethodDefinition<Policy>> definitions(SearchSettings settings) {
        List<MethodDefinition<Strategy>> strategies = Strategies.definitions(settings);
        Function<MethodSpec, Strategy> strategyOf = spec -> strategies.stream()
                .filter(d -> d.name().equals(spec.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown strategy " + spec.name()))
                .create(spec.params(), "strategy");
        return List.of(
                Prune.definition(settings),
                Consensus.definition(settings),
                AdaptiveConsistency.definition(settings),
                Certainty.definition(settings),
                DeepConf.definition(settings),
                RolloverBudgetForcing.definition(settings),
                BudgetForcing.definition(settings),
                ComputeOptimal.definition(settings, strategyOf));
    }
}
