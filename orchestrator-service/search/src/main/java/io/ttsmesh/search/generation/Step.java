package io.ttsmesh.search.generation;

import java.util.List;

/**
 * One step of one branch.
 *
 * @param text generated text, including the delimiter when the step ended with one
 * @param tokens tokens generated (EOS included when generated); what the budget is charged
 * @param logprobs one per generated token (empty when the search reads none: see {@link SamplingParams#topLogprobs})
 * @param meanLogprob mean log-probability of the step's tokens, 0 when unknown or none was generated
 * @param finished the branch can no longer be extended
 * @param length tokens in the branch after this step, prompt included
 */
public record Step(long branchId, String text, int tokens, List<TokenLogprob> logprobs, double meanLogprob,
                   StepEnd end, boolean finished, int length) {

    /** The mean log-probability of {@code logprobs}, 0 when there are none. */
    public static double meanOf(List<TokenLogprob> logprobs) {
        return logprobs.isEmpty() ? 0 : logprobs.stream().mapToDouble(TokenLogprob::logprob).average().orElse(0);
    }

    /**
     * A step's mean as the generation ports report it: that of its tokens when every token's came (a generator older
     * than the reported mean sends them and no mean), else the generator's {@code reported} one. Both ports take it
     * from here, so the mesh and library mode report the same events.
     */
    public static double meanLogprob(List<TokenLogprob> logprobs, double reported) {
        return logprobs.isEmpty() ? reported : meanOf(logprobs);
    }
}
