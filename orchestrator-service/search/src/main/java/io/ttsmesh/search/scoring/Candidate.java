package io.ttsmesh.search.scoring;

import io.ttsmesh.search.generation.TokenLogprob;

import java.util.List;

/**
 * A (partial) solution to score.
 *
 * @param steps step texts without delimiters
 * @param lastStepOnly only the newest step's score is wanted (earlier ones were scored before)
 * @param logprobs per step, the generator's token log-probabilities (for the "confidence" verifier); may be empty
 */
public record Candidate(String id, List<String> steps, boolean lastStepOnly, List<List<TokenLogprob>> logprobs) {

    public static Candidate newestStep(String id, List<String> steps) {
        return new Candidate(id, steps, true, List.of());
    }

    public static Candidate allSteps(String id, List<String> steps) {
        return new Candidate(id, steps, false, List.of());
    }
}
