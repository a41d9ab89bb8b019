package io.ttsmesh.generator.engine.sampling;

/**
 * A drawn token with its log-probability and the most likely alternatives, all under the raw model
 * distribution (temperature 1, no filtering), so confidence measures do not depend on sampling settings.
 *
 * @param topIds the {@code k} most likely token ids, most likely first (ties: lower id first)
 * @param topLogprobs their log-probabilities, aligned with {@code topIds}
 */
public record TokenChoice(int token, float logprob, int[] topIds, float[] topLogprobs) {

    /** DeepConf token confidence: minus the mean log-probability of the top alternatives (0 when none). */
    public double confidence() {
        if (topLogprobs.length == 0) {
            return 0;
        }
        double sum = 0;
        for (float lp : topLogprobs) {
            sum += lp;
        }
        return -sum / topLogprobs.length;
    }
}
