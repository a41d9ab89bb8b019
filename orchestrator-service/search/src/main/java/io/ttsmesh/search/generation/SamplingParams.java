package io.ttsmesh.search.generation;

/**
 * Sampling of new branches. A null field takes the generator's default.
 *
 * @param temperature 0 = greedy
 * @param topLogprobs alternatives reported per token (needed by confidence-based policies)
 */
public record SamplingParams(Float temperature, Float topP, Integer topK, Long seed, int topLogprobs) {

    public static SamplingParams defaults() {
        return new SamplingParams(null, null, null, null, 0);
    }

    public SamplingParams withSeed(long newSeed) {
        return new SamplingParams(temperature, topP, topK, newSeed, topLogprobs);
    }

    public SamplingParams withTopLogprobs(int k) {
        return new SamplingParams(temperature, topP, topK, seed, k);
    }

    /**
     * Whether the search reads the steps' per-token log-probabilities. Everything that does (confidence-based
     * policies, the confidence verifier) raises {@link #topLogprobs} above 0 in the request's validation; a search
     * that does not is served the steps' mean log-probabilities only, a quarter of the bytes per step.
     */
    public boolean tokenLogprobs() {
        return topLogprobs > 0;
    }
}
