package io.ttsmesh.search.strategy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.choice.AnswerSelection;
import io.ttsmesh.search.choice.Choice;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.Params;
import io.ttsmesh.search.tree.SearchTree;

import java.util.List;

/** Self-consistency (Wang et al. 2023): N whole samples; the most frequent final answer. No verifier. */
public final class SelfConsistency implements Strategy {

    public static final String NAME = "self_consistency";

    private final MethodSpec spec;
    private final int n;

    public SelfConsistency(Params params) {
        this.spec = params.spec(NAME);
        this.n = params.integer("n");
    }

    public static MethodDefinition<Strategy> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "N whole samples; majority vote over their final answers (no verifier)",
                false, List.of(Strategies.n(settings, 8)), SelfConsistency::new);
    }

    @Override
    public void search(SearchTree tree) {
        tree.sample(tree.start(n));
    }

    @Override
    public Choice choose(SearchTree tree) {
        return AnswerSelection.majority(tree.voters());
    }

    @Override
    public MethodSpec spec() {
        return spec;
    }

    @Override
    public boolean needsVerifier() {
        return false;
    }
}
