package io.ttsmesh.generator.engine;

/**
 * Sampling requested for new branches; a null field takes the model's default (generation_config.json).
 *
 * @param temperature 0 = greedy
 * @param seed request seed from which each branch's seed is derived (null: a random one)
 * @param topLogprobs alternatives reported per generated token
 */
public record Sampling(Float temperature, Float topP, Integer topK, Long seed, int topLogprobs) {

    public static Sampling defaults() {
        return new Sampling(null, null, null, null, 0);
    }

    public static Sampling greedy() {
        return new Sampling(0f, null, null, null, 0);
    }

    public Sampling withSeed(Long newSeed) {
        return new Sampling(temperature, topP, topK, newSeed, topLogprobs);
    }

    public Sampling withTopLogprobs(int k) {
        return new Sampling(temperature, topP, topK, seed, k);
    }
}
