package io.ttsmesh.search.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * Scoring sent ahead within one round of samples (or one step) of a strategy that scores what it generates: once
 * half of the branches it expects to score have completed, they go to the verifier in one call while the other half
 * is still generating, so that call's round trip and model time come off the search's critical path.
 * {@link SearchTree#score} collects that answer and asks for the rest. One call ahead at most: the verifier batches
 * better, and pays its per-call cost less often, than with a call per completed branch.
 *
 * <p>Whole samples are always split: each brings all its steps to score. A step is split only when the search's
 * previous scoring waited at least {@link #STEP_WAIT_WORTH_SPLITTING_NANOS}: scoring only the newest step of each
 * branch is often answered from the verifier's prefix cache in well under a millisecond, and splitting such a call
 * cost more than it hid (DVTS and particle filtering through the mesh, their steps in the cache: up to 14% slower per
 * search, 2026-12-04), while step calls that waited several milliseconds came out 6-10% faster.
 */
final class ScoreAhead {

    /** Below this many expected candidates one call is as good: the half sent ahead would be one or two branches. */
    static final int LEAST_EXPECTED = 4;
    static final long STEP_WAIT_WORTH_SPLITTING_NANOS = 2_000_000;

    private final int threshold;
    private final boolean steps;
    private final List<Branch> ready = new ArrayList<>();
    private VerifierCall.Sent sent;

    /** @param steps whether a step's completed branches are sent ahead too, not only finished samples */
    ScoreAhead(int expected, boolean steps) {
        this.threshold = (expected + 1) / 2;
        this.steps = steps;
    }

    /**
     * A branch that completed its step or, sampling to the end ({@code sample}), its solution; returns the branches
     * to send now (once, at the threshold), else null.
     */
    List<Branch> completed(Branch b, boolean sample) {
        if (sent != null || (!sample && !steps) || ready.contains(b)) {
            return null;
        }
        ready.add(b);
        return ready.size() >= threshold ? List.copyOf(ready) : null;
    }

    void sent(VerifierCall.Sent call) {
        sent = call;
    }

    /** The call sent ahead, or null when none went out. */
    VerifierCall.Sent sent() {
        return sent;
    }
}
