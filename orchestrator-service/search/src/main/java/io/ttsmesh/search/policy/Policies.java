package io.ttsmesh.search.policy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.MethodInfo;
import io.ttsmesh.search.strategy.Strategies;
import io.ttsmesh.search.strategy.Strategy;
import io.ttsmesh.search.strategy.StrategySelector;
import io.ttsmesh.search.tree.Policy;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The catalog of what a request names among its policies: the policies proper (hooks in the search loop) and the
 * strategy selectors (compute-optimal), listed together as clients see them.
 */
public final class Policies {

    private Policies() {
    }

    /** The policies proper, whose hooks run in the search loop. */
    public static List<MethodDefinition<Policy>> definitions(SearchSettings settings) {
        return List.of(
                Prune.definition(settings),
                Consensus.definition(settings),
                AdaptiveConsistency.definition(settings),
                Certainty.definition(settings),
                DeepConf.definition(settings),
                RolloverBudgetForcing.definition(settings),
                BudgetForcing.definition(settings));
    }

    /** The strategy selectors: each wraps the requested strategy in one that chooses which strategy runs. */
    public static List<MethodDefinition<StrategySelector>> selectors(SearchSettings settings) {
        List<MethodDefinition<Strategy>> strategies = Strategies.definitions(settings);
        Function<MethodSpec, Strategy> strategyOf = spec -> strategies.stream()
                .filter(d -> d.name().equals(spec.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown strategy " + spec.name()))
                .create(spec.params(), "strategy");
        return List.of(ComputeOptimal.definition(settings, strategyOf));
    }

    /** Everything a request may name among its policies, as the catalog lists it. */
    public static List<MethodInfo> catalog(SearchSettings settings) {
        return Stream.concat(definitions(settings).stream().map(MethodDefinition::info),
                selectors(settings).stream().map(MethodDefinition::info)).toList();
    }
}
