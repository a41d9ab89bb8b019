package io.ttsmesh.search.tree;

import io.ttsmesh.search.generation.Extension;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * What the next generator call of a search will do, as policies may shape it before it is sent (the
 * "before the next extension" hook): how many of the waiting branches go now (the rest wait for a later
 * wave), how many tokens each may take, whether the end of sequence is suppressed, and whether a
 * confidence stop applies.
 */
public final class ExtendPlan {

    private final List<Branch> pending;
    private final Extension extension;
    private int admitLimit = Integer.MAX_VALUE;
    private Predicate<Branch> suppressEos = b -> false;
    private Extension.ConfidenceStop confidenceStop;
    private int tokenCap = Integer.MAX_VALUE;

    ExtendPlan(List<Branch> pending, Extension extension) {
        this.pending = List.copyOf(pending);
        this.extension = extension;
        this.confidenceStop = extension.confidenceStop();
        if (extension.suppressEos()) {
            suppressEos = b -> true;
        }
    }

    /** The live branches waiting to be extended, in the strategy's order. */
    public List<Branch> pending() {
        return pending;
    }

    /** The extension the strategy asked for. */
    public Extension extension() {
        return extension;
    }

    /** Lets at most {@code n} (at least 1) of the waiting branches go in this call; the others wait. */
    public void admitAtMost(int n) {
        admitLimit = Math.min(admitLimit, Math.max(1, n));
    }

    /** Suppresses the end of sequence for these branches (they may not end in this call). */
    public void suppressEos(Predicate<Branch> which) {
        suppressEos = suppressEos.or(which);
    }

    /** Ends a branch in this call as soon as its window confidence falls below the threshold. */
    public void stopOnLowConfidence(Extension.ConfidenceStop stop) {
        confidenceStop = stop;
    }

    /** Lets each branch take at most {@code tokens} (at least 1) tokens in this call. */
    public void capTokens(int tokens) {
        tokenCap = Math.min(tokenCap, Math.max(1, tokens));
    }

    List<Branch> admitted() {
        return pending.subList(0, Math.min(admitLimit, pending.size()));
    }

    /**
     * The generator calls that carry out this plan: one, or two when end-of-sequence suppression applies
     * to some branches only. The quota of a call is the smallest of the branches' remaining quota, the
     * policies' cap and the checkpoint interval; a branch that did not finish its step under a smaller
     * quota simply continues in the next call.
     */
    List<Call> calls(List<Branch> admitted, ToIntFunction<Branch> quotaLeft, int checkpointTokens) {
        List<Branch> suppressed = new ArrayList<>();
        List<Branch> free = new ArrayList<>();
        for (Branch b : admitted) {
            (suppressEos.test(b) ? suppressed : free).add(b);
        }
        List<Call> calls = new ArrayList<>();
        for (List<Branch> group : List.of(free, suppressed)) {
            if (group.isEmpty()) {
                continue;
            }
            int quota = tokenCap;
            for (Branch b : group) {
                quota = Math.min(quota, quotaLeft.applyAsInt(b));
            }
            if (checkpointTokens > 0) {
                quota = Math.min(quota, checkpointTokens);
            }
            Extension call = extension.withMaxTokens(Math.max(1, quota))
                    .withSuppressEos(group == suppressed)
                    .withConfidenceStop(confidenceStop);
            calls.add(new Call(List.copyOf(group), call));
        }
        return calls;
    }

    record Call(List<Branch> branches, Extension extension) {
    }
}
