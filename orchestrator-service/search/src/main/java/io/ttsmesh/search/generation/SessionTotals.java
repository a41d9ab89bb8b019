package io.ttsmesh.search.generation;

/** The generator's own account of a closed session, to check the search's accounting against. */
public record SessionTotals(int branchesFreed, long generatedTokens, long prefillTokens) {
}
