package io.ttsmesh.bench.eval.results;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What one search of one question in one run gave, graded: a line of the results file.
 *
 * @param fingerprint of the run's configuration, base seed and backend: a results file never mixes two
 * @param task the question's task; null in results files written before tasks existed (they are arithmetic)
 * @param expected the canonical reference answer, or null where the task grades without one
 * @param answer the search's canonical answer, or null when it found none
 * @param correct the task's grade of the chosen solution (arithmetic: its answer equals the reference)
 * @param graderAnswer the answer the task's grader reads from the chosen solution's text (a cross-check)
 * @param generatedTokens tokens sampled (what the token budget bounds)
 * @param prefillTokens tokens prefilled (prompt, cues)
 * @param latencyMs wall time of the search as the harness saw it (queueing behind concurrent searches included)
 * @param stopReason COMPLETED, EARLY_EXIT, TOKEN_BUDGET, VERIFIER_BUDGET, DEADLINE, CANCELLED, FAILED
 * @param chosenStrategy what compute_optimal chose ("beam_search n=8 width=4"), else null
 * @param difficultyEstimate compute_optimal's estimate (mean score of its samples), else null
 * @param difficultyTokens tokens compute_optimal spent on its difficulty samples, else null
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record QuestionResult(String run, String fingerprint, String id, String task, Integer difficulty, String expected,
                             String answer, boolean correct, String graderAnswer, long generatedTokens,
                             long prefillTokens, int verifierCalls, int branches, long latencyMs, long searchWallMs,
                             String stopReason, String stopDetail, String errorCode, long seed, Double score,
                             String chosenStrategy, Double difficultyEstimate, Long difficultyTokens, String backend, String finishedAt) {

    /** A failed search is recorded but not done: a rerun tries it again. */
    public boolean done() {
        return !"FAILED".equals(stopReason);
    }

    /**
     * The same search counted under another run's name: a run that picks, per question, a search another run
     * already made (the same request, so the same result) reports it under its own name.
     */
    public QuestionResult asRun(String name) {
        return new QuestionResult(name, fingerprint, id, task, difficulty, expected, answer, correct, graderAnswer,
                generatedTokens, prefillTokens, verifierCalls, branches, latencyMs, searchWallMs, stopReason, stopDetail,
                errorCode, seed, score, chosenStrategy, difficultyEstimate, difficultyTokens, backend, finishedAt);
    }

    /** The task, old results files included. */
    public String taskName() {
        return task == null ? io.ttsmesh.task.TaskRegistry.DEFAULT : task;
    }

    public String difficultyLabel() {
        return difficulty == null ? "unknown" : difficulty.toString();
    }
}
