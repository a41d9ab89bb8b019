package io.ttsmesh.search.budget;

/**
 * What a search has consumed.
 *
 * @param generatedTokens tokens sampled (what Budget.maxTokens bounds)
 * @param prefillTokens tokens prefilled (prompt, cues, re-created prefixes after a failover)
 * @param verifierCalls candidates scored
 * @param wallMillis time since admission
 * @param branches branches created (started or forked)
 */
public record Spend(long generatedTokens, long prefillTokens, int verifierCalls, long wallMillis, int branches) {

    public static final Spend NONE = new Spend(0, 0, 0, 0, 0);
}
