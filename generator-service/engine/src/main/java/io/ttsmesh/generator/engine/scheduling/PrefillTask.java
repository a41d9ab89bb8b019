package io.ttsmesh.generator.engine.scheduling;

import io.ttsmesh.generator.engine.decode.KvSegment;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Tokens to feed after a history (a prompt after nothing, appended text or a probe's cue after a
 * branch's KV), and what to do with the result. The task holds a reference on the history until done.
 */
final class PrefillTask {

    /** Receives the new tokens' KV segment (ownership passes) and the logits of the token after them. */
    interface Completion {
        void done(KvSegment segment, float[] nextLogits);
    }

    final KvSegment history;
    final int[] tokens;
    final long reservedBytes;
    /** False once nobody needs the result (its branches were cancelled): the task is dropped. */
    final BooleanSupplier wanted;
    final Completion completion;
    /** Called instead of the completion: with null when nobody wanted the result, else with what went wrong. */
    final Consumer<String> dropped;

    PrefillTask(KvSegment history, int[] tokens, long reservedBytes, BooleanSupplier wanted, Completion completion,
                Consumer<String> dropped) {
        this.history = history;
        this.tokens = tokens;
        this.reservedBytes = reservedBytes;
        this.wanted = wanted;
        this.completion = completion;
        this.dropped = dropped;
        if (history != null) {
            history.retain();
        }
    }

    private boolean answered;

    /** Answers a task nobody wants any more right away, so its answer precedes whatever made it unwanted. */
    void dropIfUnwanted() {
        if (!answered && !wanted.getAsBoolean()) {
            answered = true;
            dropped.accept(null);
        }
    }

    /** Answers the task's command as failed or dropped, once. */
    void drop(String failure) {
        if (!answered) {
            answered = true;
            dropped.accept(failure);
        }
    }

    void complete(KvSegment segment, float[] nextLogits) {
        answered = true;
        completion.done(segment, nextLogits);
    }

    void releaseHistory() {
        if (history != null) {
            history.release();
        }
    }
}
