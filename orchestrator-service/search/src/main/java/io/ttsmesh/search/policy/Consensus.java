package io.ttsmesh.search.policy;

import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.ParamSpec;
import io.ttsmesh.search.catalog.Params;
import io.ttsmesh.search.tree.Branch;
import io.ttsmesh.search.tree.Checkpoint;
import io.ttsmesh.search.tree.CheckpointActions;
import io.ttsmesh.search.tree.Decisions;
import io.ttsmesh.search.tree.ExtendPlan;
import io.ttsmesh.search.tree.Policy;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Early exit on consensus: the search stops as soon as the leading answer among the finished branches holds
 * at least {@code tau} of the vote (after at least {@code min_votes} votes); votes may be weighted by the
 * verifier's score or by the generator's confidence. Whole samples are drawn in waves of {@code wave}, so
 * that the search can stop before drawing them all.
 */
public final class Consensus implements Policy {

    public static final String NAME = "consensus";
    static final List<String> WEIGHTS = List.of("none", "score", "confidence");

    private final double tau;
    private final int minVotes;
    private final String weight;
    private final int wave;

    public Consensus(Params params) {
        this.tau = params.decimal("tau");
        this.minVotes = params.integer("min_votes");
        this.weight = params.choice("weight");
        this.wave = params.integer("wave");
    }

    public static MethodDefinition<Policy> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "stop when the leading answer among finished branches holds at least "
                + "tau of the (optionally score- or confidence-weighted) vote", false,
                List.of(ParamSpec.decimal("tau", 0.75, 0.01, 1, "vote share of the leading answer that ends the search"),
                        ParamSpec.integer("min_votes", 3, 1, settings.maxN(), "finished answers needed before deciding"),
                        ParamSpec.choice("weight", "none", WEIGHTS,
                                "none: one vote each; score: the verifier's aggregated score; confidence: the generator's mean token confidence"),
                        waveParam(settings)),
                Consensus::new);
    }

    static ParamSpec waveParam(SearchSettings settings) {
        return ParamSpec.integer("wave", 4, 0, settings.maxN(), "whole samples drawn at a time, so the search can "
                + "stop early (0: all at once)");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsVerifier() {
        return weight.equals("score");
    }

    @Override
    public int requiredTopLogprobs() {
        return weight.equals("confidence") ? 5 : 0;
    }

    @Override
    public void beforeExtend(ExtendPlan plan) {
        if (wave > 0 && plan.extension().toEnd()) {
            plan.admitAtMost(wave);
        }
    }

    @Override
    public void onFinish(Decisions search, Branch branch) {
        if (!weight.equals("score")) {
            check(search);
        }
    }

    @Override
    public void atCheckpoint(CheckpointActions search, Checkpoint checkpoint) {
        if (weight.equals("score")) {
            search.scoreIfAffordable(search.voters());
        }
        check(search);
    }

    @Override
    public void afterScores(Decisions search, List<Branch> scored) {
        if (weight.equals("score")) {
            check(search);
        }
    }

    private void check(Decisions search) {
        VoteCount count = VoteCount.of(search.voters(), weightOf());
        if (count.votes() < minVotes || count.total() <= 0 || count.share() < tau) {
            return;
        }
        String reason = String.format(Locale.ROOT, "answer %s holds %.0f%% of the %svote of %d finished branches (>= %.0f%%)",
                count.leader(), 100 * count.share(), weight.equals("none") ? "" : weight + "-weighted ", count.votes(), 100 * tau);
        search.exit(reason, count.leader(), Map.of("share", count.share(), "tau", tau, "votes", (double) count.votes()));
    }

    private ToDoubleFunction<Branch> weightOf() {
        return switch (weight) {
            case "score" -> Branch::score;
            case "confidence" -> Branch::meanConfidence;
            default -> b -> 1;
        };
    }
}
