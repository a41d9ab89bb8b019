package io.ttsmesh.search.tree;

import io.ttsmesh.search.generation.Step;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * The policies of one search run as one chain: every hook goes to every policy in the request's order, each
 * with a context bound to the policy's name. While a generator call is still answering (the step and finish
 * hooks), the chain is in a callback and the tree refuses to generate or score.
 */
final class PolicyChain {

    private final List<Policy> policies;
    private final List<PolicyContext> contexts;
    private final int expanding;
    private final boolean stepwiseSampling;
    private final int checkpointTokens;
    private boolean inCallback;

    PolicyChain(List<Policy> policies, SearchTree tree) {
        this.policies = List.copyOf(policies);
        this.contexts = this.policies.stream().map(p -> new PolicyContext(tree, p.name())).toList();
        int first = -1;
        for (int i = 0; i < this.policies.size() && first < 0; i++) {
            first = this.policies.get(i).stepExpansion() != null ? i : -1;
        }
        this.expanding = first;
        this.stepwiseSampling = first >= 0 || this.policies.stream().anyMatch(Policy::needsStepCheckpoints);
        this.checkpointTokens = this.policies.stream().mapToInt(Policy::checkpointTokens).filter(k -> k > 0).min().orElse(0);
    }

    /** Whether whole samples must be taken step by step, so that every step reaches the policies. */
    boolean stepwiseSampling() {
        return stepwiseSampling;
    }

    /** Tokens after which a generator call is cut for a checkpoint (0: only at step ends). */
    int checkpointTokens() {
        return checkpointTokens;
    }

    /** Whether a policy replaces how a step is taken. */
    boolean expands() {
        return expanding >= 0;
    }

    /** Takes one step with the replacing policy's expansion (see {@link #expands}). */
    List<Branch> expand(List<Branch> branches) {
        return policies.get(expanding).stepExpansion().expand(contexts.get(expanding), branches);
    }

    void beforeExtend(ExtendPlan plan) {
        for (Policy p : policies) {
            p.beforeExtend(plan);
        }
    }

    void afterStep(Branch branch, Step step) {
        inCallback(i -> policies.get(i).afterStep(contexts.get(i), branch, step));
    }

    void onFinish(Branch branch) {
        inCallback(i -> policies.get(i).onFinish(contexts.get(i), branch));
    }

    /** Runs the checkpoint hooks until one of them ends the search. */
    void atCheckpoint(Checkpoint checkpoint, BooleanSupplier exited) {
        for (int i = 0; i < policies.size() && !exited.getAsBoolean(); i++) {
            policies.get(i).atCheckpoint(contexts.get(i), checkpoint);
        }
    }

    void afterScores(List<Branch> scored) {
        for (int i = 0; i < policies.size(); i++) {
            policies.get(i).afterScores(contexts.get(i), scored);
        }
    }

    /** Whether a generator call is answering right now (a step or finish hook, or deciding on a step). */
    boolean inCallback() {
        return inCallback;
    }

    /** Runs {@code body} as part of a generator call's answer. */
    void duringCall(Runnable body) {
        boolean outer = inCallback;
        inCallback = true;
        try {
            body.run();
        } finally {
            inCallback = outer;
        }
    }

    private void inCallback(IntConsumer hook) {
        duringCall(() -> {
            for (int i = 0; i < policies.size(); i++) {
                hook.accept(i);
            }
        });
    }
}
