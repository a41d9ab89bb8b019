package io.ttsmesh.verifier;

/**
 * A generated token's log-probability and those of the alternatives the generator ranked highest
 * (natural logarithm, raw model distribution), as the {@code confidence} verifier needs them.
 */
public record TokenLogprob(float logprob, float[] topLogprobs) {
}
