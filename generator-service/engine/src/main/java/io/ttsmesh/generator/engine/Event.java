package io.ttsmesh.generator.engine;

import java.util.List;

/** What the engine answers (generator.proto's SessionEvent); {@code commandId} names the command answered. */
public sealed interface Event {

    long commandId();

    record Started(long commandId, List<Long> branchIds, int promptTokens) implements Event {
    }

    /**
     * One step of one branch.
     *
     * @param text generated text, including the delimiter when the step ended with one (EOS not rendered)
     * @param tokenIds tokens generated in this call, EOS included when generated
     * @param logprobs one per generated token; empty when the Extend did not ask for them
     * @param meanLogprob mean log-probability of the generated tokens (0 when there are none), asked for or not
     * @param finished the branch can no longer be extended (its KV is freed)
     * @param length tokens in the branch after this step, prompt included
     */
    record Step(long commandId, long branchId, String text, int[] tokenIds, List<TokenLogprob> logprobs,
                float meanLogprob, StepEnd end, boolean finished, int length) implements Event {
    }

    /** Tokens generated so far in a streaming Extend (only when asked for), before the branch's {@link Step}. */
    record Progress(long commandId, long branchId, String text, List<TokenLogprob> tokens) implements Event {
    }

    record Forked(long commandId, long branchId, List<Long> childIds) implements Event {
    }

    record Cancelled(long commandId, List<Long> branchIds) implements Event {
    }

    /**
     * @param text the greedy continuation after the cue, without the cue and cut before the stop string
     * @param cueTokens tokens the cue became (prefilled after a copy of the branch)
     */
    record Probed(long commandId, long branchId, String text, int cueTokens, int generatedTokens) implements Event {
    }

    record Appended(long commandId, long branchId, int tokens, int length) implements Event {
    }

    record Closed(long commandId, int branchesFreed, long generatedTokens, long prefillTokens) implements Event {
    }

    /** A command (or, with {@code branchIds}, the part of it concerning those branches) failed; the session goes on. */
    record Failed(long commandId, ErrorCode code, String message, List<Long> branchIds) implements Event {
    }
}
