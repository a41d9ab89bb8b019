package io.ttsmesh.search.policy;

import io.ttsmesh.search.generation.Step;
import io.ttsmesh.search.strategy.Strategy;
import io.ttsmesh.search.tree.Branch;
import io.ttsmesh.search.tree.Checkpoint;
import io.ttsmesh.search.tree.ExtendPlan;
import io.ttsmesh.search.tree.SearchTree;
import io.ttsmesh.search.tree.StepExpansion;

import java.util.List;

/**
 * A budget-aware policy: a small object with hooks in the search loop. One instance serves one search,
 * so it may keep state. Hooks run on the search's thread in this order around every generator call:
 * <ol>
 *   <li>{@link #beforeExtend} shapes the call (waves, token caps, EOS suppression, confidence stop);</li>
 *   <li>{@link #afterStep} and {@link #onFinish} run as each branch's step arrives, while the call is still
 *       answering other branches: they may decide (prune, exit, exclude from the vote) but not generate
 *       or score;</li>
 *   <li>{@link #atCheckpoint} runs when the call is over: here a policy may score, probe or append;</li>
 *   <li>{@link #afterScores} runs after every scoring call, whoever asked for it.</li>
 * </ol>
 * Two hooks change the search's shape: {@link #chooseStrategy} (which strategy runs, asked once before the
 * search) and {@link #stepExpansion} (how one step is taken). Every decision is reported with
 * {@link SearchTree#decision}, {@link SearchTree#prune} or {@link SearchTree#exit}, each of which emits its event.
 */
public interface Policy {

    /** The policy's catalog name. */
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

    /** Replaces the strategy before the search starts (compute-optimal selection); default keeps it. */
    default Strategy chooseStrategy(SearchTree tree, Strategy requested) {
        return requested;
    }

    /** Replaces how a step is taken (rollover budget forcing); null keeps one sample per step. */
    default StepExpansion stepExpansion() {
        return null;
    }

    default void beforeExtend(SearchTree tree, ExtendPlan plan) {
    }

    default void afterStep(SearchTree tree, Branch branch, Step step) {
    }

    default void onFinish(SearchTree tree, Branch branch) {
    }

    default void atCheckpoint(SearchTree tree, Checkpoint checkpoint) {
    }

    default void afterScores(SearchTree tree, List<Branch> scored) {
    }
}
