package io.ttsmesh.search.policy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.settings.ComputeOptimalTable;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.choice.Choice;
import io.ttsmesh.search.catalog.InvalidParam;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.ParamSpec;
import io.ttsmesh.search.catalog.Params;
import io.ttsmesh.search.strategy.Strategy;
import io.ttsmesh.search.strategy.StrategySelector;
import io.ttsmesh.search.tree.Branch;
import io.ttsmesh.search.tree.SearchTree;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Compute-optimal selection (Snell et al. 2024): draw the table's few whole samples, score them, and take their
 * mean score as the estimate of how easy the question is; then run the strategy (and N) that the
 * {@link ComputeOptimalTable} names for this budget and estimate, in place of the requested strategy. The
 * difficulty samples are finished solutions and, unless {@code reuse_samples} is false, they vote too.
 * <p>
 * Clients name it among the policies, but it is no policy hook: it is a {@link StrategySelector}, a strategy that
 * wraps the requested one. Until it has chosen (and when the budget ends the sampling first) the requested
 * strategy answers.
 */
public final class ComputeOptimal implements Strategy {

    public static final String NAME = "compute_optimal";

    private final ComputeOptimalTable table;
    private final Function<MethodSpec, Strategy> strategies;
    private final boolean reuseSamples;
    private final Strategy requested;
    private Strategy chosen;

    private ComputeOptimal(ComputeOptimalTable table, Function<MethodSpec, Strategy> strategies, boolean reuseSamples,
                           Strategy requested) {
        this.table = table;
        this.strategies = strategies;
        this.reuseSamples = reuseSamples;
        this.requested = requested;
    }

    /** The selector as the catalog lists it (among the policies, the field clients name it in). */
    public static MethodDefinition<StrategySelector> definition(SearchSettings settings,
                                                                Function<MethodSpec, Strategy> strategies) {
        return new MethodDefinition<>(NAME, "estimate the difficulty from a few scored samples, then run the strategy "
                + "and N that the server's compute-optimal table names for the budget and difficulty", true,
                List.of(ParamSpec.bool("reuse_samples", true, "the difficulty samples also vote in the final answer")),
                p -> selector(p, settings.computeOptimalTable(), strategies));
    }

    private static StrategySelector selector(Params params, ComputeOptimalTable table,
                                             Function<MethodSpec, Strategy> strategies) {
        if (table == null) {
            throw new InvalidParam(null, "compute_optimal needs a compute-optimal table, and this server has none "
                    + "configured (SearchSettings.computeOptimalTable)");
        }
        boolean reuse = params.bool("reuse_samples");
        return requested -> new ComputeOptimal(table, strategies, reuse, requested);
    }

    /** The chosen strategy once chosen, the requested one before. */
    @Override
    public MethodSpec spec() {
        return (chosen == null ? requested : chosen).spec();
    }

    @Override
    public boolean needsVerifier() {
        return true;
    }

    @Override
    public void search(SearchTree tree) {
        ComputeOptimalTable.Difficulty how = table.difficulty();
        String verifier = tree.request().verifier() == null ? tree.settings().defaultVerifier() : tree.request().verifier();
        if ((how.verifier() != null && !how.verifier().equals(verifier))
                || (how.aggregation() != null && !how.aggregation().equals(tree.aggregation().wireName()))) {
            tree.decision(NAME, "warn", "table " + table.name() + " was learned with verifier " + how.verifier()
                    + " and aggregation " + how.aggregation() + "; this search uses " + verifier + " and "
                    + tree.aggregation().wireName() + ", so its difficulty estimate may be off", List.of(), Map.of());
        }
        List<Branch> samples = tree.sample(tree.start(how.samples()));
        List<Branch> finished = samples.stream().filter(Branch::isFinished).toList();
        tree.score(finished);
        double estimate = samples.stream().mapToDouble(b -> b.isFinished() && !Double.isNaN(b.score()) ? b.score() : 0)
                .average().orElse(0);
        ComputeOptimalTable.Lookup lookup = table.lookup(tree.budget().maxTokens(), estimate);
        MethodSpec spec = lookup.bin().strategy().spec();
        Strategy strategy = strategies.apply(spec);
        tree.decision(NAME, "choose", String.format(Locale.ROOT, "difficulty estimate %.3f (mean score of %d samples, "
                        + "%d finished) falls in bin %d of table %s for budgets from %d tokens: %s %s", estimate,
                samples.size(), finished.size(), lookup.binIndex(), table.name(), lookup.row().maxTokens(), spec.name(),
                spec.params()), samples, Map.of("estimate", estimate, "bin", (double) lookup.binIndex(),
                "row_max_tokens", (double) lookup.row().maxTokens()));
        if (!reuseSamples) {
            tree.prune(finished, NAME, "a difficulty sample (reuse_samples is false)");
        }
        chosen = strategy;
        chosen.search(tree);
    }

    @Override
    public Choice choose(SearchTree tree) {
        return (chosen == null ? requested : chosen).choose(tree);
    }
}
