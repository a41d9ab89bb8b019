package io.ttsmesh.search.policy;

import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.ParamSpec;
import io.ttsmesh.search.catalog.Params;
import io.ttsmesh.search.tree.Branch;
import io.ttsmesh.search.tree.Decisions;
import io.ttsmesh.search.tree.Policy;
import io.ttsmesh.search.tree.StepExpansion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rollover budget forcing (RBF, Kim et al. 2025), as a way of taking a step. The token budget is split evenly
 * over the branches and their expected number of steps. At each step a branch draws candidate next steps (forks
 * of itself; {@code batch} at a time, all branches' candidates in one generator call and one verifier call)
 * until one scores higher than the branch's current score (the bar; {@code initial_bar} for the first step;
 * {@code tolerance} relaxes it, since a correct step of a PRM-scored chain tends to score about as high as the last);
 * that candidate is accepted at once and the unused part of the step's quota rolls over to the branch's next
 * step. When the quota is used up first, the best candidate drawn is accepted. Rejected candidates are
 * cancelled; the accepted one carries the branch on. Strategies that sample whole solutions take them step
 * by step under this policy.
 */
public final class RolloverBudgetForcing implements Policy, StepExpansion {

    public static final String NAME = "rollover";

    private final int expectedSteps;
    private final int batch;
    private final int stepQuota;
    private final double initialBar;
    private final double tolerance;
    private final Map<Long, Long> carry = new HashMap<>();
    private long baseQuota;

    public RolloverBudgetForcing(Params params) {
        this.expectedSteps = params.integer("expected_steps");
        this.batch = params.integer("batch");
        this.stepQuota = params.integer("step_quota");
        this.initialBar = params.decimal("initial_bar");
        this.tolerance = params.decimal("tolerance");
    }

    public static MethodDefinition<Policy> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "per-step token quota from the budget; draw candidate steps until one beats "
                + "the branch's score, carrying the unused quota to the next step; at quota end take the best", true,
                List.of(ParamSpec.integer("expected_steps", 8, 1, settings.maxIterations(),
                                "steps a solution is expected to take (the budget is split over them)"),
                        ParamSpec.integer("batch", 1, 1, settings.maxWidth(), "candidates drawn at a time per branch"),
                        ParamSpec.integer("step_quota", 0, 0, 1_000_000,
                                "tokens per branch and step (0: max_tokens / (branches x expected_steps))"),
                        ParamSpec.decimal("initial_bar", 0.5, 0, 1, "score the first step must beat to be accepted at once"),
                        ParamSpec.decimal("tolerance", 0, 0, 1, "a candidate within this much below the bar also counts "
                                + "as beating it (0: strictly higher, as in the paper)")),
                RolloverBudgetForcing::new);
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
        return true;
    }

    @Override
    public StepExpansion stepExpansion() {
        return this;
    }

    /** One branch's search for its next step. */
    private static final class Draw {
        final Branch parent;
        final long quota;
        final double bar;
        long spent;
        int drawn;
        Branch best;

        Draw(Branch parent, long quota, double bar) {
            this.parent = parent;
            this.quota = quota;
            this.bar = bar;
        }
    }

    @Override
    public List<Branch> expand(Draws search, List<Branch> branches) {
        List<Branch> live = branches.stream().filter(Branch::isLive).distinct().toList();
        if (live.isEmpty()) {
            return branches;
        }
        if (baseQuota == 0) {
            baseQuota = stepQuota > 0 ? stepQuota : Math.max(1, search.budget().maxTokens() / ((long) live.size() * expectedSteps));
        }
        Map<Branch, Draw> draws = new LinkedHashMap<>();
        for (Branch b : live) {
            double current = b.lastScore();
            draws.put(b, new Draw(b, baseQuota + carry.getOrDefault(b.id(), 0L), Double.isNaN(current) ? initialBar : current));
        }
        List<Draw> open = new ArrayList<>(draws.values());
        while (!open.isEmpty()) {
            Map<Branch, List<Branch>> drawn = search.draw(open.stream().map(d -> d.parent).toList(), batch);
            List<Branch> rejected = new ArrayList<>();
            for (Draw d : open) {
                for (Branch c : drawn.get(d.parent)) {
                    d.spent += c.generatedTokens() - d.parent.generatedTokens();
                    d.drawn++;
                    if (d.best == null || better(c, d.best)) {
                        if (d.best != null) {
                            rejected.add(d.best);
                        }
                        d.best = c;
                    } else {
                        rejected.add(c);
                    }
                }
            }
            search.prune(rejected, "a better candidate for the same step was drawn");
            List<Draw> still = new ArrayList<>();
            for (Draw d : open) {
                double s = d.best.lastScore();
                if (!Double.isNaN(s) && (s > d.bar || (tolerance > 0 && s >= d.bar - tolerance))) {
                    accept(search, d, String.format(Locale.ROOT, "candidate %d scored %.3f, above the bar %.3f; %d of %d "
                            + "tokens used, the rest rolls over", d.drawn, s, d.bar, d.spent, d.quota));
                } else if (d.spent >= d.quota) {
                    accept(search, d, String.format(Locale.ROOT, "quota of %d tokens used after %d candidates; the best "
                            + "scored %.3f (bar %.3f)", d.quota, d.drawn, s, d.bar));
                } else {
                    still.add(d);
                }
            }
            open = still;
        }
        List<Branch> successors = new ArrayList<>();
        for (Branch b : branches) {
            Draw d = draws.get(b);
            successors.add(d == null ? b : d.best);
        }
        return successors;
    }

    private void accept(Decisions search, Draw d, String reason) {
        carry.remove(d.parent.id());
        carry.put(d.best.id(), d.quota - d.spent);
        search.decide("accept", reason, List.of(d.best), Map.of("quota", (double) d.quota,
                "spent", (double) d.spent, "candidates", (double) d.drawn, "score", d.best.lastScore(), "bar", d.bar));
        search.prune(List.of(d.parent), "continues as branch " + d.best.id());
    }

    private static boolean better(Branch a, Branch b) {
        double x = a.lastScore();
        double y = b.lastScore();
        return !Double.isNaN(x) && (Double.isNaN(y) || x > y);
    }
}
