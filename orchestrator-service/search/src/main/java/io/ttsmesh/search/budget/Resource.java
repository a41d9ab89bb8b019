package io.ttsmesh.search.budget;

/** The three bounded resources of a search. */
public enum Resource {
    TOKENS("tokens"),
    VERIFIER_CALLS("verifier_calls"),
    DEADLINE("deadline");

    private final String wireName;

    Resource(String wireName) {
        this.wireName = wireName;
    }

    /** As events.proto's BudgetExhausted.resource names it. */
    public String wireName() {
        return wireName;
    }
}
