package io.ttsmesh.search.policy;

import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.ParamSpec;
import io.ttsmesh.search.catalog.Params;
import io.ttsmesh.search.tree.Branch;
import io.ttsmesh.search.tree.Checkpoint;
import io.ttsmesh.search.tree.CheckpointActions;
import io.ttsmesh.search.tree.Policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Early pruning (speculative rejection, SART): at checkpoints (every k steps, or every k tokens) the partial
 * branches are scored and the lowest {@code fraction} of them, and any below {@code threshold}, are
 * cancelled, never leaving fewer than {@code floor} live branches in the search.
 */
public final class Prune implements Policy {

    public static final String NAME = "prune";

    /** Lowest score first (unscored lowest of all), the newest branch first among equals. */
    private static final Comparator<Branch> LOWEST_FIRST = Comparator
            .comparingDouble((Branch b) -> Double.isNaN(b.score()) ? Double.NEGATIVE_INFINITY : b.score())
            .thenComparing(Comparator.comparingLong(Branch::id).reversed());

    private final double fraction;
    private final double threshold;
    private final int everySteps;
    private final int everyTokens;
    private final int floor;
    private final int rounds;
    private int checkpointsSeen;
    private int roundsDone;
    private boolean skippedForBudget;

    public Prune(Params params) {
        this.fraction = params.decimal("fraction");
        this.threshold = params.decimal("threshold");
        this.everySteps = params.integer("every_steps");
        this.everyTokens = params.integer("every_tokens");
        this.floor = params.integer("floor");
        this.rounds = params.integer("rounds");
    }

    public static MethodDefinition<Policy> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "at checkpoints, score the partial branches and cancel the lowest "
                + "fraction (and those below threshold), keeping at least floor live branches", true,
                List.of(ParamSpec.decimal("fraction", 0.5, 0, 0.99, "share of the checkpoint's branches cancelled, lowest scores first"),
                        ParamSpec.decimal("threshold", 0, 0, 1, "also cancel branches scoring below this (0: off)"),
                        ParamSpec.integer("every_steps", 1, 1, settings.maxIterations(), "checkpoint every k steps"),
                        ParamSpec.integer("every_tokens", 0, 0, 100_000,
                                "checkpoint every k generated tokens instead of at step ends (0: at step ends)"),
                        ParamSpec.integer("floor", 4, 1, settings.maxN(), "never fewer live branches than this"),
                        ParamSpec.integer("rounds", 0, 0, settings.maxIterations(), "most pruning rounds (0: no limit)")),
                Prune::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsVerifier() {
        return true;
    }

    @Override
    public boolean needsStepCheckpoints() {
        return everyTokens == 0;
    }

    @Override
    public int checkpointTokens() {
        return everyTokens;
    }

    @Override
    public void atCheckpoint(CheckpointActions search, Checkpoint checkpoint) {
        if (everyTokens == 0 && !checkpoint.stepBoundary()) {
            return;
        }
        if (rounds > 0 && roundsDone >= rounds) {
            return;
        }
        if (++checkpointsSeen % everySteps != 0) {
            return;
        }
        List<Branch> candidates = checkpoint.branches().stream().filter(Branch::isLive).toList();
        int spare = search.live().size() - floor;
        if (candidates.size() < 2 || spare <= 0) {
            return;
        }
        if (!search.scoreIfAffordable(candidates)) {
            if (!skippedForBudget) {
                skippedForBudget = true;
                search.decide("skip", "the verifier budget cannot score the branches at this checkpoint; "
                        + "pruning stops", List.of(), Map.of("verifier_calls_left", (double) search.verifierCallsLeft()));
            }
            return;
        }
        List<Branch> ranked = candidates.stream().sorted(LOWEST_FIRST).toList();
        Set<Branch> cut = new LinkedHashSet<>();
        int byFraction = (int) Math.floor(fraction * candidates.size());
        cut.addAll(ranked.subList(0, byFraction));
        if (threshold > 0) {
            for (Branch b : ranked) {
                if (Double.isNaN(b.score()) || b.score() < threshold) {
                    cut.add(b);
                }
            }
        }
        List<Branch> pruned = new ArrayList<>(cut).subList(0, Math.min(cut.size(), spare));
        if (pruned.isEmpty()) {
            return;
        }
        roundsDone++;
        double cutoff = pruned.stream().mapToDouble(Branch::score).filter(s -> !Double.isNaN(s)).max().orElse(0);
        String reason = String.format(Locale.ROOT, "lowest scores at checkpoint %d: %d of %d branches cancelled "
                        + "(fraction %.2f%s, floor %d)", checkpoint.index(), pruned.size(), candidates.size(), fraction,
                threshold > 0 ? String.format(Locale.ROOT, ", threshold %.2f", threshold) : "", floor);
        search.decide("prune", reason, pruned, Map.of("fraction", fraction, "threshold", threshold,
                "cutoff_score", cutoff, "pruned", (double) pruned.size(), "branches", (double) candidates.size()));
        search.prune(pruned, String.format(Locale.ROOT, "among the lowest scores at checkpoint %d (cutoff %.3f)",
                checkpoint.index(), cutoff));
    }
}
