package io.ttsmesh.verifier.prm;

import io.ttsmesh.runtime.TextTokenizer;

/**
 * A {@link ScoringConvention.Readout} with its token ids resolved: turns the logits at one score position
 * into a score in [0, 1]. Computed in double precision, so the result does not depend on the order the
 * classes are summed in.
 */
public sealed interface ScoreReadout {

    /**
     * @param logits the logits of a batch, row-major [.., width]
     * @param offset where this position's {@code width} logits start
     */
    float score(float[] logits, int offset, int width);

    /** The smallest logits width this readout can read. */
    int minWidth();

    static ScoreReadout resolve(ScoringConvention.Readout readout, TextTokenizer tokenizer) {
        return switch (readout) {
            case ScoringConvention.TwoClass c -> new ClassProbability(c.positiveIndex());
            case ScoringConvention.TokenPair p -> new TokenPairProbability(
                    p.positiveTokenId() >= 0 ? p.positiveTokenId()
                            : ScoringConvention.lastId(tokenizer, p.positiveToken(), "positive-token"),
                    p.negativeTokenId() >= 0 ? p.negativeTokenId()
                            : ScoringConvention.lastId(tokenizer, p.negativeToken(), "negative-token"));
        };
    }

    /** softmax(logits)[positiveIndex] over all classes of the position. */
    record ClassProbability(int positiveIndex) implements ScoreReadout {

        @Override
        public float score(float[] logits, int offset, int width) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < width; c++) {
                max = Math.max(max, logits[offset + c]);
            }
            double sum = 0;
            for (int c = 0; c < width; c++) {
                sum += Math.exp(logits[offset + c] - max);
            }
            return (float) (Math.exp(logits[offset + positiveIndex] - max) / sum);
        }

        @Override
        public int minWidth() {
            return Math.max(2, positiveIndex + 1);
        }
    }

    /** softmax over the two token logits only: sigmoid(positive - negative). */
    record TokenPairProbability(int positiveId, int negativeId) implements ScoreReadout {

        @Override
        public float score(float[] logits, int offset, int width) {
            double diff = (double) logits[offset + positiveId] - logits[offset + negativeId];
            return (float) (1.0 / (1.0 + Math.exp(-diff)));
        }

        @Override
        public int minWidth() {
            return Math.max(positiveId, negativeId) + 1;
        }
    }
}
