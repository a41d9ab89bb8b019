package io.ttsmesh.search.strategy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.choice.AnswerSelection;
import io.ttsmesh.search.choice.Choice;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.Params;
import io.ttsmesh.search.tree.Branch;
import io.ttsmesh.search.tree.SearchTree;

import java.util.List;

/** Weighted best-of-N: N whole samples grouped by final answer; the answer with the largest score sum. */
public final class WeightedBestOfN implements Strategy {

    public static final String NAME = "weighted_best_of_n";

    private final MethodSpec spec;
    private final int n;

    public WeightedBestOfN(Params params) {
        this.spec = params.spec(NAME);
        this.n = params.integer("n");
    }

    public static MethodDefinition<Strategy> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "N whole samples grouped by final answer; the answer whose samples' scores sum highest",
                true, List.of(Strategies.n(settings, 8)), WeightedBestOfN::new);
    }

    @Override
    public void search(SearchTree tree) {
        List<Branch> samples = tree.start(n);
        tree.prepareScoring(n);
        tree.sample(samples);
        tree.score(tree.voters());
    }

    @Override
    public Choice choose(SearchTree tree) {
        tree.scoreIfAffordable(tree.voters());
        return AnswerSelection.weighted(tree.voters(), Branch::score);
    }

    @Override
    public MethodSpec spec() {
        return spec;
    }

    @Override
    public boolean needsVerifier() {
        return true;
    }
}
