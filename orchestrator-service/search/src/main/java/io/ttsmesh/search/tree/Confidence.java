package io.ttsmesh.search.tree;

import io.ttsmesh.search.generation.TokenLogprob;

import java.util.List;

/** DeepConf's token and window confidence (Fu et al. 2025), computed from the generator's log-probabilities. */
public final class Confidence {

    private Confidence() {
    }

    /** Minus the mean log-probability of the token's top alternatives; NaN without alternatives. */
    public static double token(TokenLogprob token) {
        if (token.top() == null || token.top().isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (TokenLogprob.Alternative a : token.top()) {
            sum += a.logprob();
        }
        return -sum / token.top().size();
    }

    /**
     * The lowest mean token confidence over {@code window} consecutive tokens (the overall mean when there
     * are fewer tokens); NaN when the tokens carry no alternatives.
     */
    public static double lowestWindowMean(List<TokenLogprob> tokens, int window) {
        if (tokens.isEmpty()) {
            return Double.NaN;
        }
        double[] c = new double[tokens.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = token(tokens.get(i));
            if (Double.isNaN(c[i])) {
                return Double.NaN;
            }
        }
        int w = Math.min(window, c.length);
        double sum = 0;
        for (int i = 0; i < w; i++) {
            sum += c[i];
        }
        double lowest = sum / w;
        for (int i = w; i < c.length; i++) {
            sum += c[i] - c[i - w];
            lowest = Math.min(lowest, sum / w);
        }
        return lowest;
    }
}
