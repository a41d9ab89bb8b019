package io.ttsmesh.search.policy;

import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.ParamSpec;
import io.ttsmesh.search.catalog.Params;
import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.tree.Branch;
import io.ttsmesh.search.tree.Decisions;
import io.ttsmesh.search.tree.ExtendPlan;
import io.ttsmesh.search.tree.Policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DeepConf online (Fu et al. 2025). A token's confidence is minus the mean log-probability of its top-k
 * alternatives; a branch's confidence is the lowest mean over a sliding window of tokens. The first
 * {@code warmup} branches to finish set a threshold at the (1 − keep) quantile of their confidences (keep 0.9 is
 * DeepConf-high, 0.1 DeepConf-low); from then on every extension carries a confidence stop, so the generator
 * ends a branch the moment its window confidence drops below the threshold (no token wasted), and such
 * branches, like any finished one under the threshold, are left out of the vote. Strategies that sample whole
 * solutions draw the warm-up branches first.
 */
public final class DeepConf implements Policy {

    public static final String NAME = "deepconf";

    private final int warmup;
    private final double keep;
    private final int window;
    private final int topLogprobs;
    private final List<Branch> warmupBranches = new ArrayList<>();
    private double threshold = Double.NaN;
    private boolean inactive;

    public DeepConf(Params params) {
        this.warmup = params.integer("warmup");
        this.keep = params.decimal("keep");
        this.window = params.integer("window");
        this.topLogprobs = params.integer("top_logprobs");
    }

    public static MethodDefinition<Policy> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "warm-up branches set a confidence threshold; later branches stop as soon as "
                + "their sliding-window confidence drops below it and are left out of the vote", false,
                List.of(ParamSpec.integer("warmup", 4, 1, settings.maxN(), "finished branches that set the threshold"),
                        ParamSpec.decimal("keep", 0.9, 0.01, 1, "share of warm-up branches above the threshold (0.9: DeepConf-high, 0.1: DeepConf-low)"),
                        ParamSpec.integer("window", 16, 1, 100_000, "sliding window of tokens for the confidence"),
                        ParamSpec.integer("top_logprobs", 5, 1, Math.max(1, settings.maxTopLogprobs()),
                                "alternatives per token the confidence averages over")),
                DeepConf::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int requiredTopLogprobs() {
        return topLogprobs;
    }

    @Override
    public void beforeExtend(ExtendPlan plan) {
        if (Double.isNaN(threshold)) {
            if (plan.extension().toEnd() && !inactive) {
                plan.admitAtMost(warmup - warmupBranches.size());
            }
        } else {
            plan.stopOnLowConfidence(new Extension.ConfidenceStop(window, (float) threshold));
        }
    }

    @Override
    public void onFinish(Decisions search, Branch branch) {
        double confidence = branch.lowestWindowConfidence(window);
        if (Double.isNaN(threshold)) {
            if (Double.isNaN(confidence)) {
                if (!inactive) {
                    inactive = true;
                    search.decide("inactive", "the generator reports no token alternatives; no confidence "
                            + "threshold can be set", List.of(branch), Map.of());
                }
                return;
            }
            warmupBranches.add(branch);
            if (warmupBranches.size() == warmup) {
                setThreshold(search);
            }
            return;
        }
        if ("low_confidence".equals(branch.end())) {
            search.exclude(List.of(branch), String.format(Locale.ROOT,
                    "stopped by the generator: window confidence fell below %.4f", threshold));
        } else if (confidence < threshold) {
            search.exclude(List.of(branch), String.format(Locale.ROOT,
                    "lowest window confidence %.4f is below the threshold %.4f", confidence, threshold));
        }
    }

    private void setThreshold(Decisions search) {
        double[] c = warmupBranches.stream().mapToDouble(b -> b.lowestWindowConfidence(window)).sorted().toArray();
        threshold = quantile(c, 1 - keep);
        search.decide("threshold", String.format(Locale.ROOT, "%d warm-up branches set the confidence threshold "
                        + "at %.4f (the %.0f%% quantile of their lowest window confidences %s)", warmup, threshold,
                100 * (1 - keep), Arrays.toString(Arrays.stream(c).map(x -> Math.round(x * 1e4) / 1e4).toArray())),
                warmupBranches, Map.of("threshold", threshold, "keep", keep, "window", (double) window));
        List<Branch> below = warmupBranches.stream().filter(b -> b.votes() && b.lowestWindowConfidence(window) < threshold).toList();
        search.exclude(below, String.format(Locale.ROOT, "warm-up branch below the confidence threshold %.4f", threshold));
    }

    /** Linear-interpolated quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 1) {
            return sorted[0];
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The threshold, NaN until the warm-up is done. */
    double threshold() {
        return threshold;
    }
}
