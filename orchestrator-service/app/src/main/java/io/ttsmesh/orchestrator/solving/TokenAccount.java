package io.ttsmesh.orchestrator.solving;

/**
 * Whose tokens a search spends: its whole token budget is reserved before it runs, and what it did not spend
 * goes back when it ends. The access layer's callers (API keys with allowances) implement it;
 * {@link #UNLIMITED} is every caller when nobody counts.
 */
public interface TokenAccount {

    TokenAccount UNLIMITED = maxTokens -> spent -> {
    };

    /**
     * Reserves {@code maxTokens} before a search starts.
     *
     * @throws InvalidRequest when the budget is above what this account allows one request
     * @throws OverCapacity   when the account has not that many tokens left (for now)
     */
    Reservation reserve(long maxTokens);

    /** Tokens reserved for one search; settled once with what it spent. */
    interface Reservation {
        void settle(long spent);
    }
}
