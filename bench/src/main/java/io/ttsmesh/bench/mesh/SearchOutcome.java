package io.ttsmesh.bench.mesh;

import io.ttsmesh.search.SearchResult;

import java.util.List;

/**
 * What one search gave and how long it took, as the benchmark compares it between the two modes.
 *
 * @param wallNanos time the caller waited, from sending the request to reading the result
 * @param errorCode null unless the search failed
 */
record SearchOutcome(String answer, List<String> steps, long generatedTokens, long prefillTokens, int verifierCalls,
                     String stopReason, String stopDetail, String errorCode, long wallNanos) {

    static SearchOutcome of(SearchResult r, long wallNanos) {
        return new SearchOutcome(r.answer(), r.steps(), r.spend().generatedTokens(), r.spend().prefillTokens(),
                r.spend().verifierCalls(), r.stopReason().name(), r.stopDetail(), r.errorCode(), wallNanos);
    }

    boolean failed() {
        return errorCode != null;
    }

    /** Same answer, same chosen steps and the same spend: what a deterministic search must reproduce. */
    boolean sameSearchAs(SearchOutcome other) {
        return java.util.Objects.equals(answer, other.answer) && steps.equals(other.steps)
                && generatedTokens == other.generatedTokens && verifierCalls == other.verifierCalls
                && stopReason.equals(other.stopReason);
    }
}
