package io.ttsmesh.search.tree;

import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.budget.BudgetExhausted;
import io.ttsmesh.search.budget.Resource;
import io.ttsmesh.search.budget.Spend;
import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.generation.ProbeResult;
import io.ttsmesh.search.scoring.Aggregation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One policy's way into the search: the typed contexts its hooks receive, bound to its name so that every
 * decision, pruning and exit is reported as the policy's. The operations only policies use (probes, appended
 * text, forced answers, candidate draws) live here rather than on the tree.
 */
final class PolicyContext implements CheckpointActions, StepExpansion.Draws {

    private final SearchTree tree;
    private final String policy;

    PolicyContext(SearchTree tree, String policy) {
        this.tree = tree;
        this.policy = policy;
    }

    // ------------------------------------------------------------------ reading

    @Override
    public SearchRequest request() {
        return tree.request();
    }

    @Override
    public SearchSettings settings() {
        return tree.settings();
    }

    @Override
    public RandomGenerator random() {
        return tree.random();
    }

    @Override
    public Aggregation aggregation() {
        return tree.aggregation();
    }

    @Override
    public Budget budget() {
        return tree.budget();
    }

    @Override
    public Spend spend() {
        return tree.spend();
    }

    @Override
    public long tokensLeft() {
        return tree.tokensLeft();
    }

    @Override
    public int verifierCallsLeft() {
        return tree.verifierCallsLeft();
    }

    @Override
    public List<Branch> branches() {
        return tree.branches();
    }

    @Override
    public List<Branch> live() {
        return tree.live();
    }

    @Override
    public List<Branch> finished() {
        return tree.finished();
    }

    @Override
    public List<Branch> voters() {
        return tree.voters();
    }

    // ------------------------------------------------------------------ deciding

    @Override
    public void prune(Collection<Branch> branches, String reason) {
        tree.prune(branches, policy, reason);
    }

    @Override
    public void exclude(Collection<Branch> finished, String reason) {
        for (Branch b : finished) {
            if (b.isLive()) {
                throw new IllegalArgumentException("cannot exclude " + b + " from the vote: it has not finished");
            }
        }
        tree.prune(finished, policy, reason);
    }

    @Override
    public void exit(String reason, String answer, Map<String, Double> values) {
        tree.exit(policy, reason, answer, values);
    }

    @Override
    public void decide(String action, String reason, Collection<Branch> concerned, Map<String, Double> values) {
        tree.decision(policy, action, reason, concerned, values);
    }

    // ------------------------------------------------------------------ at checkpoints

    @Override
    public boolean scoreIfAffordable(List<Branch> candidates) {
        return tree.scoreIfAffordable(candidates);
    }

    @Override
    public String probeAnswer(Branch branch) {
        String cue = answerCueFor(branch);
        ProbeResult probe = probe(branch, cue, settings().probeTokens());
        return probe == null ? null : settings().answerFormat().probeAnswer(branch.answerText(), cue + probe.text());
    }

    /** A greedy continuation after the cue on a copy of the branch, or null when no token is left (probes are optional). */
    private ProbeResult probe(Branch branch, String cue, int maxTokens) {
        tree.requireNoCallback("probe");
        if (!branch.isLive() || !tree.searching()) {
            return null;
        }
        tree.ensureRunning();
        if (tree.tokensLeft() < 1) {
            return null;
        }
        try {
            return tree.session().probe(branch.id(), cue, maxTokens, "");
        } catch (BudgetExhausted e) {
            if (e.resource() == Resource.DEADLINE) {
                throw e;
            }
            return null;
        }
    }

    @Override
    public String answerCueFor(Branch branch) {
        return (branch.atStepBoundary() ? "" : settings().stepDelimiter()) + settings().answerCue();
    }

    @Override
    public void append(Branch branch, String text, boolean revokesAnswer) {
        tree.requireNoCallback("append");
        if (!branch.isLive()) {
            throw new IllegalStateException("cannot append to " + branch + ": it is not live");
        }
        tree.ensureRunning();
        int tokens = tree.session().append(branch.id(), text);
        branch.appendForced(text, tokens, revokesAnswer);
    }

    @Override
    public void finishWithAnswer(Branch branch, String answer, String answerStep) {
        tree.requireNoCallback("finishWithAnswer");
        if (!branch.isLive()) {
            return;
        }
        tree.session().cancel(List.of(branch.id()));
        if (!answerStep.isEmpty()) {
            branch.appendForced((branch.atStepBoundary() ? "" : settings().stepDelimiter()) + answerStep, 0, false);
        }
        tree.loop().finish(branch, "stopped", answer);
    }

    @Override
    public List<Branch> forceToEnd(List<Branch> forced, int maxTokens) {
        tree.requireNoCallback("forceToEnd");
        List<Branch> live = ExtendLoop.live(forced);
        if (!live.isEmpty()) {
            tree.ensureRunning();
            tree.loop().generate(live, Extension.toEnd(maxTokens), null);
        }
        return forced;
    }

    // ------------------------------------------------------------------ drawing candidate steps

    @Override
    public Map<Branch, List<Branch>> draw(List<Branch> parents, int perParent) {
        tree.expectScoring(parents.size() * perParent);
        Map<Branch, List<Branch>> drawn = new LinkedHashMap<>();
        List<Branch> candidates = new ArrayList<>();
        for (Branch parent : parents) {
            List<Branch> forked = tree.fork(parent, perParent);
            drawn.put(parent, forked);
            candidates.addAll(forked);
        }
        tree.stepOnce(candidates);
        tree.score(candidates);
        return drawn;
    }
}
