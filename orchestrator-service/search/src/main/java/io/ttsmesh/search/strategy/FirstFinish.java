package io.ttsmesh.search.strategy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.choice.AnswerSelection;
import io.ttsmesh.search.choice.Choice;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.Params;
import io.ttsmesh.search.tree.Branch;
import io.ttsmesh.search.tree.SearchTree;

import java.util.Comparator;
import java.util.List;

/**
 * First finish search (FFS): start n samples together and answer with the first one that finishes with an
 * answer (the shortest trace); the others are cancelled at that moment. No verifier.
 */
public final class FirstFinish implements Strategy {

    public static final String NAME = "first_finish";

    private final MethodSpec spec;
    private final int n;

    public FirstFinish(Params params) {
        this.spec = params.spec(NAME);
        this.n = params.integer("n");
    }

    public static MethodDefinition<Strategy> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "n samples decoded together; the first to finish with an answer wins "
                + "and the others are cancelled (no verifier)", false,
                List.of(Strategies.n(settings, 8)), FirstFinish::new);
    }

    @Override
    public void search(SearchTree tree) {
        List<Branch> samples = tree.start(n);
        tree.sampleUntil(samples, b -> b.answer() != null, NAME);
        tree.prune(tree.live(), NAME, "another sample finished first");
    }

    @Override
    public Choice choose(SearchTree tree) {
        List<Branch> voters = tree.voters();
        Choice tally = AnswerSelection.majority(voters);
        return voters.stream().filter(b -> b.answer() != null).min(Comparator.comparingInt(Branch::finishOrder))
                .map(first -> new Choice(first, first.answer(), tally.tallies(), null))
                .orElse(tally);
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
