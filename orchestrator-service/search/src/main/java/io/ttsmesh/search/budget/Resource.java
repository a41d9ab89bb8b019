package io.ttsmesh.search.budget;

import io.ttsmesh.search.StopReason;

/** The three bounded resources of a search. */
public enum Resource {
    TOKENS("tokens", StopReason.TOKEN_BUDGET),
    VERIFIER_CALLS("verifier_calls", StopReason.VERIFIER_BUDGET),
    DEADLINE("deadline", StopReason.DEADLINE);

    private final String wireName;
    private final StopReason stopReason;

    Resource(String wireName, StopReason stopReason) {
        this.wireName = wireName;
        this.stopReason = stopReason;
    }

    /** As events.proto's BudgetExhausted.resource names it. */
    public String wireName() {
        return wireName;
    }

    public StopReason stopReason() {
        return stopReason;
    }
}
