package io.ttsmesh.verifier;

import java.util.List;

/**
 * One candidate solution to score.
 *
 * @param id chosen by the caller, echoed in the result
 * @param steps the steps so far, without delimiters
 * @param lastStepOnly only the newest step's score is wanted
 * @param logprobs per step, the generator's token log-probabilities (the {@code confidence} verifier); may be empty
 */
public record CandidateInput(String id, List<String> steps, boolean lastStepOnly, List<List<TokenLogprob>> logprobs) {

    public CandidateInput {
        steps = List.copyOf(steps);
        logprobs = logprobs == null ? List.of() : List.copyOf(logprobs);
    }

    public static CandidateInput allSteps(String id, List<String> steps) {
        return new CandidateInput(id, steps, false, List.of());
    }

    public static CandidateInput newestStep(String id, List<String> steps) {
        return new CandidateInput(id, steps, true, List.of());
    }
}
