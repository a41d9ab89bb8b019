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

/**
 * Monte Carlo tree search over steps. Nodes are partial solutions. Each iteration selects a leaf by UCT
 * from the root (a child's value is its mean backed-up score with the verifier's score of the child as a
 * prior worth one visit), expands it by sampling k next steps, scores them and backs each child's score up to
 * the root. Iterations run {@code parallel} at a time, as in tree-parallel MCTS with virtual loss: the leaves
 * of one round are selected one after another, each counting as a visit worth nothing along its path until
 * its children are backed up (so the next selection goes elsewhere), and are expanded together in one
 * generator call and scored in one verifier call: a round costs the round trips of one iteration. A finished solution is a terminal node: when
 * selected, its score is backed up again. The answer comes from the most visited path (following the most
 * visited child from the root); when that path ends in an unfinished leaf after the last iteration, the leaf
 * is sampled to its end (a final rollout), else the most visited finished solution is taken. When no solution
 * with an answer has finished after that (the path's leaf was pruned, or its rollout stated no answer), the
 * best other live leaf (most visits, then value) is completed the same way, so a small {@code iterations}
 * still answers.
 * Only unexpanded leaves hold KV on the generator: an expanded node's branch continues as its first child.
 */
public final class MonteCarloTreeSearch implements Strategy {

    public static final String NAME = "mcts";

    private final MethodSpec spec;
    private final int k;
    private final int iterations;
    private final int parallel;
    private final double exploration;
    private final List<Node> terminals = new ArrayList<>();
    private final Node root = new Node(null, null, 0);
    /** A partial solution completed while no solution with an answer had finished, or null. */
    private Branch completedWithoutFinished;

    public MonteCarloTreeSearch(Params params, SearchSettings settings) {
        this.spec = params.spec(NAME);
        this.k = params.integer("k");
        this.iterations = params.integer("iterations");
        this.parallel = params.integer("parallel");
        this.exploration = params.decimal("c");
        // every unexpanded leaf holds KV on the generator: at most k + iterations x (k - 1) of them
        if (k + (long) iterations * (k - 1) > settings.maxN()) {
            throw new InvalidParam("iterations", "k + iterations x (k - 1) live leaves must stay within "
                    + settings.maxN() + ", got " + (k + (long) iterations * (k - 1)));
        }
    }

    public static MethodDefinition<Strategy> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "MCTS over steps: UCT selection with the PRM score as value prior, "
                + "expansion by sampling k next steps, backup of the children's scores; the most visited finished "
                + "solution wins", true,
                List.of(ParamSpec.integer("k", 4, 1, settings.maxWidth(), "next steps sampled per expansion"),
                        ParamSpec.integer("iterations", 32, 1, settings.maxIterations(), "selection-expansion-backup rounds"),
                        ParamSpec.integer("parallel", 4, 1, settings.maxWidth(),
                                "leaves expanded together per round (virtual loss keeps them apart): one generator "
                                + "call and one verifier call per round"),
                        ParamSpec.decimal("c", 1.0, 0, 100, "exploration constant of UCT")),
                p -> new MonteCarloTreeSearch(p, settings));
    }

    /** A partial solution in the tree; the root (no branch) is the prompt. */
    private static final class Node {
        final Branch branch;
        final Node parent;
        final double prior;
        /** A finished solution; fixed at creation (an expanded node's branch goes on as its first child). */
        final boolean terminal;
        final List<Node> children = new ArrayList<>();
        boolean expanded;
        /** Selected in the current round and not yet expanded: not selectable again in that round. */
        boolean pending;
        int visits;
        double valueSum;

        Node(Branch branch, Node parent, double prior) {
            this.branch = branch;
            this.parent = parent;
            this.prior = prior;
            this.terminal = branch != null && branch.isFinished();
        }

        boolean terminal() {
            return terminal;
        }

        /** Whether selection may still end here or below (an expandable leaf or a terminal). */
        boolean selectable() {
            if (terminal) {
                return branch.isFinished();
            }
            if (!expanded) {
                return !pending && (branch == null || branch.isLive());
            }
            return children.stream().anyMatch(Node::selectable);
        }

        double value() {
            return (valueSum + prior) / (visits + 1);
        }
    }

    @Override
    public void search(SearchTree tree) {
        int it = 0;
        while (it < iterations) {
            List<Node> round = new ArrayList<>();
            while (it < iterations && round.size() < parallel) {
                Node leaf = select(root);
                if (leaf == null) {
                    break;
                }
                it++;
                if (leaf.terminal()) {
                    backup(leaf, score(leaf.branch));
                    continue;
                }
                leaf.pending = true;
                virtualLoss(leaf, +1);
                round.add(leaf);
            }
            if (round.isEmpty()) {
                break;
            }
            expand(tree, round);
        }
        // The answer comes from the most visited path; when that path ends in an unfinished leaf, finish it.
        Node end = principalVariation();
        if (end != root && !end.terminal() && end.branch.isLive()) {
            complete(tree, end, "the most visited path ends in this unfinished partial solution");
        }
        if (!answered()) {
            Node leaf = bestLiveLeaf();
            if (leaf != null) {
                complete(tree, leaf, "the most visited path gave no answer; this is the best other partial solution");
            }
        }
    }

    /** Expands a round's leaves together: k next steps each in one generator call, all scored in one verifier call. */
    private void expand(SearchTree tree, List<Node> round) {
        List<Branch> children = new ArrayList<>();
        try {
            tree.expectScoring(k * round.size());
            for (Node leaf : round) {
                if (leaf == root) {
                    children.addAll(tree.start(k));
                } else {
                    children.add(leaf.branch);
                    children.addAll(tree.fork(leaf.branch, k - 1));
                }
            }
            children = tree.step(children);
            tree.score(children);
        } finally {
            // a budget that runs out mid-round ends the search: the answer's visit counts must be real ones
            for (Node leaf : round) {
                leaf.pending = false;
                virtualLoss(leaf, -1);
            }
        }
        for (int i = 0; i < round.size(); i++) {
            Node leaf = round.get(i);
            leaf.expanded = true;
            for (Branch c : children.subList(i * k, (i + 1) * k)) {
                Node child = new Node(c, leaf, score(c));
                leaf.children.add(child);
                if (child.terminal()) {
                    terminals.add(child);
                }
                backup(child, child.prior);
            }
        }
    }

    /** Samples a live leaf to its end (a rollout) and adds the completion to the tree as a terminal child. */
    private void complete(SearchTree tree, Node leaf, String which) {
        boolean none = !answered();
        String reason = "the iterations ran out (iterations " + iterations + ") "
                + (none ? "before any solution finished" : "with the most visited path unfinished") + "; " + which
                + " (" + leaf.visits + " visits, value " + leaf.value() + ") is completed to its end";
        Branch done = PartialCompletion.complete(tree, leaf.branch, NAME, reason, Map.of("visits", (double) leaf.visits,
                "value", leaf.value(), "iterations", (double) iterations, "steps", (double) leaf.branch.stepCount()));
        if (done.isFinished()) {
            Node child = new Node(done, leaf, score(done));
            leaf.expanded = true;
            leaf.children.add(child);
            terminals.add(child);
            backup(child, child.prior);
            if (none && done.answer() != null) {
                completedWithoutFinished = done;
            }
        }
    }

    private boolean answered() {
        return terminals.stream().anyMatch(t -> t.branch.votes() && t.branch.answer() != null);
    }

    /** The unexpanded leaf still live with the most visits, then the highest value; null when none is. */
    private Node bestLiveLeaf() {
        List<Node> leaves = new ArrayList<>();
        List<Node> todo = new ArrayList<>(root.children);
        while (!todo.isEmpty()) {
            Node n = todo.remove(todo.size() - 1);
            if (n.expanded) {
                todo.addAll(n.children);
            } else if (!n.terminal() && n.branch.isLive()) {
                leaves.add(n);
            }
        }
        return leaves.stream().max(Comparator.comparingInt((Node n) -> n.visits).thenComparingDouble(Node::value)
                .thenComparingLong(n -> -n.branch.id())).orElse(null);
    }

    /** From the root, the most visited child at every level (ties: higher value), down to a leaf. */
    private Node principalVariation() {
        Node node = root;
        while (node.expanded && !node.terminal() && !node.children.isEmpty()) {
            node = node.children.stream().max(Comparator.comparingInt((Node c) -> c.visits)
                    .thenComparingDouble(Node::value)).orElseThrow();
        }
        return node;
    }

    private Node select(Node root) {
        Node node = root;
        while (node.expanded && !node.terminal()) {
            Node parent = node;
            node = node.children.stream().filter(Node::selectable)
                    .max(Comparator.comparingDouble((Node c) -> uct(c, parent)).thenComparingLong(c -> -c.branch.id()))
                    .orElse(null);
            if (node == null) {
                return null;
            }
        }
        return node.selectable() ? node : null;
    }

    private double uct(Node child, Node parent) {
        return child.value() + exploration * Math.sqrt(Math.log(parent.visits + 1.0) / (child.visits + 1.0));
    }

    /** A pending leaf counts as visited, with nothing won, on its whole path: UCT looks elsewhere meanwhile. */
    private static void virtualLoss(Node leaf, int visits) {
        for (Node n = leaf; n != null; n = n.parent) {
            n.visits += visits;
        }
    }

    private static void backup(Node node, double value) {
        for (Node n = node; n != null; n = n.parent) {
            n.visits++;
            n.valueSum += value;
        }
    }

    private static double score(Branch b) {
        double s = b.score();
        return Double.isNaN(s) ? 0 : s;
    }

    @Override
    public Choice choose(SearchTree tree) {
        tree.scoreIfAffordable(tree.voters());
        Choice tally = AnswerSelection.best(tree.voters());
        Node end = principalVariation();
        if (end.terminal() && end.branch.votes() && end.branch.answer() != null) {
            return new Choice(end.branch, end.branch.answer(), tally.tallies(), note(end.branch));
        }
        return terminals.stream().filter(t -> t.branch.votes() && t.branch.answer() != null)
                .max(Comparator.comparingInt((Node t) -> t.visits).thenComparingDouble(t -> score(t.branch)))
                .map(t -> new Choice(t.branch, t.branch.answer(), tally.tallies(), note(t.branch)))
                .orElse(tally);
    }

    private String note(Branch chosen) {
        return chosen == completedWithoutFinished ? PartialCompletion.NOTE : null;
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
