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

/** Best-of-N: N whole samples; the answer of the one the verifier scores highest. */
public final class BestOfN implements Strategy {

    public static final String NAME = "best_of_n";

    private final MethodSpec spec;
    private final int n;

    public BestOfN(Params params) {
        this.spec = params.spec(NAME);
        this.n = params.integer("n");
    }

    public static MethodDefinition<Strategy> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "N whole samples; the answer of the highest-scored one (aggregated step scores)",
                true, List.of(Strategies.n(settings, 8)), BestOfN::new);
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
        return AnswerSelection.best(tree.voters());
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
