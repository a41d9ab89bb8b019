package io.ttsmesh.search.strategy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.choice.AnswerSelection;
import io.ttsmesh.search.choice.Choice;
import io.ttsmesh.search.catalog.InvalidParam;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.ParamSpec;
import io.ttsmesh.search.catalog.Params;
import io.ttsmesh.search.tree.Branch;
import io.ttsmesh.search.tree.SearchTree;

import java.util.ArrayList;
import java.util.List;

/**
 * Diverse verifier tree search (HF search-and-learn): N/M independent subtrees. Every iteration each
 * subtree expands M candidate next steps from its current head and keeps its best-scored candidate as the
 * new head (greedy per subtree, so the subtrees stay diverse); a subtree ends when its best candidate has
 * finished. Every finished candidate counts in the answer; the last iteration samples to the end.
 */
public final class Dvts implements Strategy {

    public static final String NAME = "dvts";

    private final MethodSpec spec;
    private final int n;
    private final int width;
    private final int maxIterations;
    private final String select;

    public Dvts(Params params) {
        this.spec = params.spec(NAME);
        this.n = params.integer("n");
        this.width = params.integer("width");
        this.maxIterations = params.integer("max_iterations");
        this.select = params.choice("select");
        if (width > n || n % width != 0) {
            throw new InvalidParam("width", "must divide n (" + n + "), got " + width);
        }
    }

    public static MethodDefinition<Strategy> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "n/width independent subtrees; each expands width candidate steps per "
                + "iteration and keeps its best; every finished candidate counts", true,
                List.of(Strategies.n(settings, 8),
                        ParamSpec.integer("width", 4, 1, settings.maxWidth(), "M: candidate steps per subtree and iteration; must divide n"),
                        Strategies.maxIterations(settings, 40),
                        Strategies.select(AnswerSelection.WEIGHTED)),
                Dvts::new);
    }

    @Override
    public void search(SearchTree tree) {
        // subtree j's candidates are candidates[j*width .. (j+1)*width-1]; the first iteration starts from the prompt
        List<Branch> candidates = tree.start(n);
        for (int i = 0; i < maxIterations && !candidates.isEmpty(); i++) {
            boolean last = i == maxIterations - 1;
            tree.expectScoring(candidates.size());
            candidates = last ? tree.sample(candidates) : tree.step(candidates);
            tree.score(candidates);
            if (last) {
                break;
            }
            List<Branch> heads = new ArrayList<>();
            for (int start = 0; start < candidates.size(); start += width) {
                List<Branch> ranked = Strategies.ranked(candidates.subList(start, start + width));
                Branch best = ranked.get(0);
                tree.prune(ranked.subList(1, ranked.size()).stream().filter(Branch::isLive).toList(), NAME,
                        "not the best candidate of its subtree at step " + (i + 1));
                if (best.isLive()) {
                    heads.add(best);
                }
            }
            candidates = new ArrayList<>();
            for (Branch head : heads) {
                candidates.add(head);
                candidates.addAll(tree.fork(head, width - 1));
            }
        }
    }

    @Override
    public Choice choose(SearchTree tree) {
        tree.scoreIfAffordable(tree.voters());
        return AnswerSelection.by(select, tree.voters());
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
