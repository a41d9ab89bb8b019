package io.ttsmesh.bench.eval.execution;

import io.ttsmesh.search.SearchResult;

/**
 * A finished search as a backend returns it.
 *
 * @param chosenStrategy what the compute_optimal policy chose, in words, or null
 * @param difficultyEstimate the compute_optimal policy's difficulty estimate, or null
 * @param difficultyTokens tokens the compute_optimal policy spent on its difficulty samples, or null
 */
public record SearchOutcome(SearchResult result, String chosenStrategy, Double difficultyEstimate,
                            Long difficultyTokens) {
}
