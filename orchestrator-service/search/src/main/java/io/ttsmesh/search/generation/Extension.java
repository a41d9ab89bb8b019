package io.ttsmesh.search.generation;

/**
 * How far one extend call may take each branch.
 *
 * @param maxTokens token quota per branch for this call (the budget may lower it, never raise it)
 * @param toEnd ignore step delimiters and run to EOS (a whole sample in one call)
 * @param suppressEos the end-of-sequence token may not be sampled (budget forcing)
 * @param reseed reseed the branches before this call, or null
 * @param confidenceStop stop a branch when its sliding-window confidence falls below a threshold, or null
 */
public record Extension(int maxTokens, boolean toEnd, boolean suppressEos, Long reseed, ConfidenceStop confidenceStop) {

    public static Extension nextStep(int maxTokens) {
        return new Extension(maxTokens, false, false, null, null);
    }

    public static Extension toEnd(int maxTokens) {
        return new Extension(maxTokens, true, false, null, null);
    }

    public Extension withMaxTokens(int tokens) {
        return new Extension(tokens, toEnd, suppressEos, reseed, confidenceStop);
    }

    public Extension withSuppressEos(boolean suppress) {
        return new Extension(maxTokens, toEnd, suppress, reseed, confidenceStop);
    }

    public Extension withConfidenceStop(ConfidenceStop stop) {
        return new Extension(maxTokens, toEnd, suppressEos, reseed, stop);
    }

    /** DeepConf online: window confidence = mean over the last {@code window} tokens of -mean(top-k logprobs). */
    public record ConfidenceStop(int window, float threshold) {
    }
}
