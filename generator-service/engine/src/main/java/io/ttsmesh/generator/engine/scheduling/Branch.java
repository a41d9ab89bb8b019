package io.ttsmesh.generator.engine.scheduling;

import io.ttsmesh.generator.engine.StepEnd;
import io.ttsmesh.generator.engine.decode.DecodeBatch;
import io.ttsmesh.generator.engine.decode.KvSegment;
import io.ttsmesh.generator.engine.sampling.ConfidenceWindow;
import io.ttsmesh.generator.engine.sampling.SamplingSettings;
import io.ttsmesh.generator.engine.text.IncrementalDetokenizer;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A live sequence and its KV cache. Its tokens are the prompt, what it generated and what was appended;
 * its KV covers all of them except, after a sampled token, that last ("pending") token, which is fed to
 * the model only when the branch is extended again (so a branch that ends a step and is then cancelled
 * cost no extra model run). Without a pending token the branch holds the logits of its next token
 * instead (after a prefill), shared read-only with the branches prefilled with it.
 *
 * <p>Commands that reach a branch while it is busy (being prefilled or extended) wait in its queue and
 * run in order of arrival once it is idle. Engine thread only.
 */
final class Branch {

    enum State {
        /** Its KV is being built (prompt, appended text, or its parent's fork is waiting). */
        PREPARING,
        IDLE,
        EXTENDING,
        FINISHED,
        CANCELLED
    }

    /** A command waiting for this branch to be idle. */
    interface Deferred {
        void run();

        /** The branch ended before the command could run. */
        void abandon(Branch branch);
    }

    final SessionState session;
    final long id;
    /** A probe's private copy: not one of the session's branches. */
    final boolean probeCopy;
    State state = State.PREPARING;
    StepEnd finishedBy;
    int[] tokens = new int[16];
    int length;
    KvSegment tail;
    boolean pending;
    float[] nextLogits;
    long seed;
    SamplingSettings sampling;
    String delimiter;
    IncrementalDetokenizer text;
    ConfidenceWindow confidence;
    Generation generation;
    /** The prefill preparing this branch (prompt or appended text), while PREPARING. */
    PrefillTask preparing;
    DecodeBatch.Row row;
    final ArrayDeque<Deferred> deferred = new ArrayDeque<>();

    Branch(SessionState session, long id, boolean probeCopy) {
        this.session = session;
        this.id = id;
        this.probeCopy = probeCopy;
    }

    /** Runs {@code command} now if the branch is idle with nothing queued, else queues it behind the others. */
    void whenIdle(Deferred command) {
        if (state == State.IDLE && deferred.isEmpty()) {
            command.run();
        } else {
            deferred.add(command);
        }
    }

    boolean isLive() {
        return state != State.FINISHED && state != State.CANCELLED;
    }

    boolean isBusy() {
        return state == State.PREPARING || state == State.EXTENDING;
    }

    /** Tokens whose KV is cached. */
    int kvLength() {
        return tail == null ? 0 : tail.end();
    }

    void append(int token) {
        if (length == tokens.length) {
            tokens = Arrays.copyOf(tokens, Math.max(16, 2 * length));
        }
        tokens[length++] = token;
    }

    void append(int[] more) {
        for (int token : more) {
            append(token);
        }
    }

    /** Takes ownership of {@code segment}, which continues this branch's current tail. */
    void extendKv(KvSegment segment) {
        if (segment == null) {
            return;
        }
        if (tail != null) {
            tail.release();
        }
        tail = segment;
    }

    void freeKv() {
        if (tail != null) {
            tail.release();
            tail = null;
        }
        nextLogits = null;
    }

    /** The tokens the model has not seen yet when {@code more} is appended: the pending one, then {@code more}. */
    int[] unfedWith(int[] more) {
        if (!pending) {
            return more;
        }
        int[] chunk = new int[more.length + 1];
        chunk[0] = tokens[length - 1];
        System.arraycopy(more, 0, chunk, 1, more.length);
        return chunk;
    }

    /** Copies this (idle) branch's state into {@code child}: shared KV, same tokens, text and confidence state. */
    void copyInto(Branch child, long childSeed) {
        child.tokens = Arrays.copyOf(tokens, Math.max(16, length + 16));
        child.length = length;
        child.tail = tail;
        if (tail != null) {
            tail.retain();
        }
        child.pending = pending;
        child.nextLogits = nextLogits;
        child.seed = childSeed;
        child.sampling = sampling;
        child.delimiter = delimiter;
        child.text = text.copy();
        child.confidence = confidence == null ? null : confidence.copy();
        child.state = State.IDLE;
    }

    @Override
    public String toString() {
        return "branch " + id + " (" + state + ", " + length + " tokens)";
    }
}
