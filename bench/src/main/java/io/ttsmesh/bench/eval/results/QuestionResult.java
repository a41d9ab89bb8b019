package io.ttsmesh.bench.eval.results;

/**
 * What one search of one question in one run gave, graded: a line of the results file.
 *
 * @param fingerprint of the run's configuration, base seed and backend: a results file never mixes two
 * @param expected the canonical reference answer
 * @param answer the search's canonical answer, or null when it found none
 * @param correct the answer equals the reference (test bed canonicalization)
 * @param graderAnswer the answer the test bed's grader reads from the chosen solution's text (a cross-check)
 * @param generatedTokens tokens sampled (what the token budget bounds)
 * @param prefillTokens tokens prefilled (prompt, cues)
 * @param latencyMs wall time of the search as the harness saw it (queueing behind concurrent searches included)
 * @param stopReason COMPLETED, EARLY_EXIT, TOKEN_BUDGET, VERIFIER_BUDGET, DEADLINE, CANCELLED, FAILED
 * @param chosenStrategy what compute_optimal chose ("beam_search n=8 width=4"), else null
 * @param difficultyEstimate compute_optimal's estimate (mean score of its samples), else null
 * @param difficultyTokens tokens compute_optimal spent on its difficulty samples, else null
 */
public record QuestionResult(String run, String fingerprint, String id, Integer difficulty, String expected,
                             String answer, boolean correct, String graderAnswer, long generatedTokens,
                             long prefillTokens, int verifierCalls, int branches, long latencyMs, long searchWallMs,
                             String stopReason, String stopDetail, String errorCode, long seed, Double score,
                             String chosenStrategy, Double difficultyEstimate, Long difficultyTokens, String backend, String finishedAt) {

    /** A failed search is recorded but not done: a rerun tries it again. */
    public boolean done() {
        return !"FAILED".equals(stopReason);
    }

    public String difficultyLabel() {
        return difficulty == null ? "unknown" : difficulty.toString();
    }
}
