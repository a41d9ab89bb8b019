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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Best-first (A*-style) step search, as in A*-Decoding: a priority queue of partial solutions ordered by
 * their verifier score minus a length cost; pop the best, sample k next steps from it, score them, push them;
 * stop when a finished solution tops the queue (or the expansions or the budget run out). Each round pops the
 * {@code parallel} best partial solutions (fewer when a finished solution comes next) and expands them together,
 * in one generator call and one verifier call, as batched best-first search does. The queue is
 * bounded: beyond {@code max_queue} the worst partial solutions are cancelled. When the expansions run out
 * before any solution finished, the highest-priority partial solution is sampled to its end (a solution takes
 * several steps, so a small {@code max_expansions} would otherwise answer nothing).
 */
public final class BestFirstSearch implements Strategy {

    public static final String NAME = "best_first";

    private final MethodSpec spec;
    private final int k;
    private final int maxExpansions;
    private final double lengthCost;
    private final int maxQueue;
    private final int parallel;
    private Branch found;
    /** Whether {@link #found} is a partial solution completed because the expansions ran out. */
    private boolean completed;

    public BestFirstSearch(Params params, SearchSettings settings) {
        this.spec = params.spec(NAME);
        this.k = params.integer("k");
        this.maxExpansions = params.integer("max_expansions");
        this.lengthCost = params.decimal("length_cost");
        this.maxQueue = params.integer("max_queue");
        this.parallel = params.integer("parallel");
        if (maxQueue + (long) parallel * k > settings.maxN()) {
            throw new InvalidParam("max_queue", "max_queue + parallel x k live partial solutions must stay within "
                    + settings.maxN() + ", got " + (maxQueue + (long) parallel * k));
        }
    }

    public static MethodDefinition<Strategy> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "A*-style: a priority queue of partial solutions by score minus "
                + "length_cost per step; pop the best, sample k next steps, score, push; stop when a finished "
                + "solution tops the queue; when the expansions run out first, the best partial solution is completed", true,
                List.of(ParamSpec.integer("k", 4, 1, settings.maxWidth(), "next steps sampled per expansion"),
                        ParamSpec.integer("max_expansions", 32, 1, settings.maxIterations(), "most nodes expanded"),
                        ParamSpec.decimal("length_cost", 0, 0, 1, "subtracted from a partial solution's score per step"),
                        ParamSpec.integer("max_queue", 64, 1, settings.maxN(),
                                "most partial solutions kept (each holds KV on the generator)"),
                        ParamSpec.integer("parallel", 4, 1, settings.maxWidth(),
                                "best partial solutions expanded together per round: one generator call and one "
                                + "verifier call per round")),
                p -> new BestFirstSearch(p, settings));
    }

    private double priority(Branch b) {
        double s = b.score();
        return (Double.isNaN(s) ? 0 : s) - lengthCost * b.stepCount();
    }

    @Override
    public void search(SearchTree tree) {
        Comparator<Branch> best = Comparator.comparingDouble(this::priority).reversed().thenComparingLong(Branch::id);
        PriorityQueue<Branch> queue = new PriorityQueue<>(best);
        tree.expectScoring(k);
        List<Branch> children = tree.start(k);
        for (int expanded = 0; ; ) {
            children = tree.step(children);
            tree.score(children);
            for (Branch c : children) {
                if (c.isLive() || (c.isFinished() && c.answer() != null)) {
                    queue.add(c);
                }
            }
            bound(tree, queue, best);
            queue.removeIf(b -> !b.isLive() && !b.isFinished());
            Branch top = queue.peek();
            if (top == null) {
                return;
            }
            if (top.isFinished()) {
                found = top;
                tree.decision(NAME, "choose", "a finished solution tops the queue (priority " + priority(top) + ")",
                        List.of(top), Map.of("priority", priority(top)));
                return;
            }
            if (expanded == maxExpansions) {
                completeBest(tree, top);
                return;
            }
            List<Branch> round = new ArrayList<>();
            while (round.size() < parallel && expanded < maxExpansions && queue.peek() != null && queue.peek().isLive()) {
                round.add(queue.poll());
                expanded++;
            }
            tree.expectScoring(k * round.size());
            children = new ArrayList<>();
            for (Branch node : round) {
                children.add(node);
                children.addAll(tree.fork(node, k - 1));
            }
        }
    }

    /** With no finished solution to answer from, samples the best partial solution (the queue's top) to its end. */
    private void completeBest(SearchTree tree, Branch top) {
        if (tree.voters().stream().anyMatch(b -> b.answer() != null)) {
            return;
        }
        double p = priority(top);
        Branch done = PartialCompletion.complete(tree, top, NAME, "the expansion budget ran out (max_expansions "
                        + maxExpansions + ") before any solution finished: completing the best partial solution "
                        + "(the highest priority in the queue, " + p + ") to its end",
                Map.of("priority", p, "max_expansions", (double) maxExpansions, "steps", (double) top.stepCount()));
        if (done.isFinished() && done.answer() != null) {
            found = done;
            completed = true;
        }
    }

    private void bound(SearchTree tree, PriorityQueue<Branch> queue, Comparator<Branch> best) {
        if (queue.size() <= maxQueue) {
            return;
        }
        List<Branch> ranked = queue.stream().sorted(best).toList();
        List<Branch> dropped = ranked.subList(maxQueue, ranked.size());
        queue.removeAll(dropped);
        tree.prune(dropped.stream().filter(Branch::isLive).toList(), NAME, "the queue holds at most " + maxQueue
                + " partial solutions and this one ranked below them");
    }

    @Override
    public Choice choose(SearchTree tree) {
        tree.scoreIfAffordable(tree.voters());
        Choice best = AnswerSelection.best(tree.voters());
        if (found != null && found.votes()) {
            return new Choice(found, found.answer(), best.tallies(), completed ? PartialCompletion.NOTE : null);
        }
        return best;
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
