package io.ttsmesh.generator.engine.sampling;

/**
 * How a branch draws its tokens (validated).
 *
 * @param temperature 0 = greedy (argmax); otherwise logits are divided by it, in (0, 5]
 * @param topP nucleus mass in (0, 1]; 1 turns it off
 * @param topK keep the k most likely tokens; 0 turns it off
 * @param topLogprobs alternatives reported per generated token
 */
public record SamplingSettings(float temperature, float topP, int topK, int topLogprobs) {

    public static final float MAX_TEMPERATURE = 5f;

    public static SamplingSettings greedy(int topLogprobs) {
        return new SamplingSettings(0f, 1f, 0, topLogprobs);
    }

    public boolean isGreedy() {
        return temperature == 0f;
    }

    /** The problem with these values (naming the field), or null when they are valid. */
    public static String problem(float temperature, float topP, int topK, int topLogprobs, int maxTopLogprobs) {
        if (!(temperature >= 0f && temperature <= MAX_TEMPERATURE)) {
            return "sampling.temperature must be in [0, " + MAX_TEMPERATURE + "] (0 = greedy), got " + temperature;
        }
        if (!(topP > 0f && topP <= 1f)) {
            return "sampling.top_p must be in (0, 1], got " + topP;
        }
        if (topK < 0) {
            return "sampling.top_k must be >= 0 (0 = off), got " + topK;
        }
        if (topLogprobs < 0 || topLogprobs > maxTopLogprobs) {
            return "sampling.top_logprobs must be in [0, " + maxTopLogprobs + "], got " + topLogprobs;
        }
        return null;
    }
}
