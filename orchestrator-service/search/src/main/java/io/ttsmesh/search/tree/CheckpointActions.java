package io.ttsmesh.search.tree;

import java.util.List;

/**
 * What a policy may do at a checkpoint, once a generator call is over: besides deciding, score, probe, append
 * text and force branches to their end.
 */
public interface CheckpointActions extends Decisions {

    /**
     * Scores the newest steps of the candidates in one verifier call when the verifier budget allows and the
     * search still runs; otherwise does nothing and says so.
     */
    boolean scoreIfAffordable(List<Branch> candidates);

    /** The canonical answer a probe (a greedy continuation after the answer cue, on a copy) read, or null. */
    String probeAnswer(Branch branch);

    /** The answer cue, preceded by the step delimiter when the branch stands mid-step. */
    String answerCueFor(Branch branch);

    /**
     * Forces text into a live branch (prefilled, not sampled).
     *
     * @param revokesAnswer whether an answer stated before this text no longer counts (a continuation cue)
     */
    void append(Branch branch, String text, boolean revokesAnswer);

    /**
     * Ends a live branch with an answer the policy read: the branch is freed on the generator, {@code answerStep}
     * (unless empty) becomes its last step, and it votes like a finished branch.
     */
    void finishWithAnswer(Branch branch, String answer, String answerStep);

    /**
     * Extends branches to their end with a small quota in one generator call, outside the policies' shaping and
     * checkpoints (a forced answer after the answer cue); their steps and finishes reach the hooks like any other.
     */
    List<Branch> forceToEnd(List<Branch> forced, int maxTokens);
}
