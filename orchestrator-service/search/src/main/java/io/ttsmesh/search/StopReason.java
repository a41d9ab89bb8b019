package io.ttsmesh.search;

import io.ttsmesh.search.budget.Resource;

/** Why a search stopped (mirrors events.proto). */
public enum StopReason {
    /** The strategy ran to its end. */
    COMPLETED,
    /** A policy ended the search early. */
    EARLY_EXIT,
    TOKEN_BUDGET,
    VERIFIER_BUDGET,
    DEADLINE,
    /** The client cancelled or went away. */
    CANCELLED,
    /** The search could not go on (no generator, ...). */
    FAILED,
    /**
     * No verifier answered (UNAVAILABLE after the ports' retries) and the request allowed degraded mode: the answer
     * is an unscored majority vote over the finished solutions, the live ones continued to their end first.
     */
    DEGRADED;

    /** The stop of a search whose {@code resource} ran out. */
    public static StopReason exhausted(Resource resource) {
        return switch (resource) {
            case TOKENS -> TOKEN_BUDGET;
            case VERIFIER_CALLS -> VERIFIER_BUDGET;
            case DEADLINE -> DEADLINE;
        };
    }
}
