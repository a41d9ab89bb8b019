package io.ttsmesh.search.generation;

import java.util.List;

/**
 * One step of one branch.
 *
 * @param text generated text, including the delimiter when the step ended with one
 * @param tokens tokens generated (EOS included when generated); what the budget is charged
 * @param logprobs one per generated token (empty when not requested)
 * @param finished the branch can no longer be extended
 * @param length tokens in the branch after this step, prompt included
 */
public record Step(long branchId, String text, int tokens, List<TokenLogprob> logprobs, StepEnd end,
                   boolean finished, int length) {

    /** Mean log-probability of the step's tokens, 0 when unknown. */
    public double meanLogprob() {
        return logprobs.isEmpty() ? 0 : logprobs.stream().mapToDouble(TokenLogprob::logprob).average().orElse(0);
    }
}
