package io.ttsmesh.bench.mesh;

import io.ttsmesh.search.MethodSpec;

import java.util.Collection;
import java.util.Map;

/**
 * A catalog strategy at compute size N: the strategies with an {@code n} (samples, beams, particles) take
 * n = N with their other parameters at the defaults (beam search and DVTS: width 4); best-first takes N
 * expansions and MCTS N iterations (each of k = 4 next steps by default), as in the evaluation's sweeps.
 */
final class StrategySizing {

    private StrategySizing() {
    }

    /**
     * @param params the strategy's parameter names from the catalog
     * @throws IllegalArgumentException when the strategy has no parameter that sets its size
     */
    static MethodSpec at(String strategy, Collection<String> params, int n) {
        for (String size : new String[] {"n", "max_expansions", "iterations"}) {
            if (params.contains(size)) {
                return MethodSpec.of(strategy, Map.of(size, Integer.toString(n)));
            }
        }
        throw new IllegalArgumentException("strategy " + strategy + " has no size parameter (n, max_expansions or iterations)"
                + " among " + params);
    }
}
