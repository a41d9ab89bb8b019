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
 * Beam search over steps as in HF search-and-learn: N beams take one step each, the verifier scores them,
 * the top N/M live beams survive and each forks into M (so N beams go on), until every beam has finished or
 * the iterations run out; the last iteration samples to the end. Finished beams are the candidates.
 */
public final class BeamSearch implements Strategy {

    public static final String NAME = "beam_search";

    private final MethodSpec spec;
    private final int n;
    private final int width;
    private final int maxIterations;
    private final String select;

    public BeamSearch(Params params) {
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
        return new MethodDefinition<>(NAME, "N beams; each iteration every beam takes one step, the top N/width survive "
                + "and fork width children each; until EOS or max_iterations (the last iteration samples to the end)", true,
                List.of(Strategies.n(settings, 8),
                        ParamSpec.integer("width", 4, 1, settings.maxWidth(), "M: children per surviving beam; must divide n"),
                        Strategies.maxIterations(settings, 40),
                        Strategies.select(AnswerSelection.WEIGHTED)),
                BeamSearch::new);
    }

    @Override
    public void search(SearchTree tree) {
        int keep = n / width;
        List<Branch> beams = tree.start(n);
        for (int i = 0; i < maxIterations; i++) {
            boolean last = i == maxIterations - 1;
            tree.expectScoring(beams.size());
            beams = last ? tree.sample(beams) : tree.step(beams);
            tree.score(last ? beams.stream().filter(Branch::isFinished).toList() : beams);
            List<Branch> active = Strategies.ranked(beams.stream().filter(Branch::isLive).toList());
            if (active.isEmpty() || last) {
                break;
            }
            List<Branch> survivors = active.subList(0, Math.min(keep, active.size()));
            tree.prune(active.subList(survivors.size(), active.size()), NAME,
                    "not among the top " + keep + " beams by score after step " + (i + 1));
            beams = refill(tree, survivors);
        }
    }

    /** Each survivor goes on as itself plus forks, so that N beams take the next step. */
    private List<Branch> refill(SearchTree tree, List<Branch> survivors) {
        List<Branch> beams = new ArrayList<>();
        int base = n / survivors.size();
        int extra = n % survivors.size();
        for (int j = 0; j < survivors.size(); j++) {
            Branch s = survivors.get(j);
            beams.add(s);
            beams.addAll(tree.fork(s, base + (j < extra ? 1 : 0) - 1));
        }
        return beams;
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
