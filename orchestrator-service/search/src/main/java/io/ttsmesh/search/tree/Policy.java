package io.ttsmesh.search.tree;

import io.ttsmesh.search.generation.Step;

import java.util.List;

/**
 * A budget-aware policy: a small object with hooks in the search loop. One instance serves one search, so it
 * may keep state. The hooks of all policies run through one chain, in the request's order, on the search's
 * thread, around every generator call:
 * <ol>
 *   <li>{@link #beforeExtend} shapes the call (waves, token caps, EOS suppression, confidence stop);</li>
 *   <li>{@link #afterStep} and {@link #onFinish} run as each branch's step arrives, while the call still
 *       answers other branches: their {@link Decisions} may prune, exclude and exit, nothing more;</li>
 *   <li>{@link #atCheckpoint} runs when the call is over: its {@link CheckpointActions} may also score, probe,
 *       append and force;</li>
 *   <li>{@link #afterScores} runs after every scoring call, whoever asked for it, and may decide.</li>
 * </ol>
 * {@link #stepExpansion} changes how one step is taken. What a hook may call is what its context offers, so
 * a wrong call does not compile; every decision is reported under the policy's {@link #name}.
 */
public interface Policy {

    /** The policy's catalog name; its decisions and prunings are reported under it. */
    String name();

    /** Whether this configuration asks the verifier (then the budget must allow verifier calls). */
    default boolean needsVerifier() {
        return false;
    }

    /** Alternatives per token the policy needs the generator to report (0: none). */
    default int requiredTopLogprobs() {
        return 0;
    }

    /** Whether a strategy that samples whole solutions must do so step by step so this policy sees every step. */
    default boolean needsStepCheckpoints() {
        return false;
    }

    /** Checkpoint interval in tokens (0: none); generator calls are cut to at most this many tokens. */
    default int checkpointTokens() {
        return 0;
    }

    /** Replaces how a step is taken (rollover budget forcing); null keeps one sample per step. */
    default StepExpansion stepExpansion() {
        return null;
    }

    default void beforeExtend(ExtendPlan plan) {
    }

    default void afterStep(Decisions search, Branch branch, Step step) {
    }

    default void onFinish(Decisions search, Branch branch) {
    }

    default void atCheckpoint(CheckpointActions search, Checkpoint checkpoint) {
    }

    default void afterScores(Decisions search, List<Branch> scored) {
    }
}
