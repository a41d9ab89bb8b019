package io.ttsmesh.search.generation;

/** A greedy continuation after a cue, read without changing the branch. */
public record ProbeResult(long branchId, String text, int cueTokens, int generatedTokens) {
}
