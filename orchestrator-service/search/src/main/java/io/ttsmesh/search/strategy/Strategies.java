package io.ttsmesh.search.strategy;

import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.choice.AnswerSelection;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.ParamSpec;
import io.ttsmesh.search.tree.Branch;

import java.util.List;

/** The catalog of strategies and the parameters they share. */
public final class Strategies {

    private Strategies() {
    }

    public static List<MethodDefinition<Strategy>> definitions(SearchSettings settings) {
        return List.of(
                BestOfN.definition(settings),
                WeightedBestOfN.definition(settings),
                SelfConsistency.definition(settings),
                BeamSearch.definition(settings),
                Dvts.definition(settings),
                ParticleFilter.definition(settings),
                FirstFinish.definition(settings),
                BestFirstSearch.definition(settings),
                MonteCarloTreeSearch.definition(settings));
    }

    static ParamSpec n(SearchSettings settings, int defaultValue) {
        return ParamSpec.integer("n", defaultValue, 1, settings.maxN(), "number of samples / beams / particles");
    }

    static ParamSpec maxIterations(SearchSettings settings, int defaultValue) {
        return ParamSpec.integer("max_iterations", defaultValue, 1, settings.maxIterations(), "most steps a solution may take");
    }

    static ParamSpec select(String defaultValue) {
        return ParamSpec.choice("select", defaultValue, List.of(AnswerSelection.BEST, AnswerSelection.WEIGHTED, AnswerSelection.VOTE),
                "answer selection over the finished solutions: best (highest score), weighted (score sum per answer), vote (majority)");
    }

    /** Highest aggregated score first (unscored last, then by id). */
    static List<Branch> ranked(List<Branch> branches) {
        return branches.stream().sorted(AnswerSelection.BY_SCORE_THEN_CREATION).toList();
    }
}
