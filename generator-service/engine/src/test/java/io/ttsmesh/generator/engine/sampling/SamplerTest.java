package io.ttsmesh.generator.engine.sampling;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SamplerTest {

    private static final int EOS = 2;
    private final Sampler sampler = new Sampler(6, new int[] {EOS});
    private final float[] logits = {1.0f, 3.0f, 2.5f, 0.5f, 3.0f, -1.0f};

    private static double[] softmax(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    @Test
    void greedyTakesTheArgmaxLowestIdOnTiesAndReportsRawLogprobs() {
        TokenChoice choice = sampler.choose(logits, SamplingSettings.greedy(3), 0.99, false, 3);
        assertThat(choice.token()).isEqualTo(1);
        double[] p = softmax(logits, 1);
        assertThat((double) choice.logprob()).isCloseTo(Math.log(p[1]), within(1e-5));
        assertThat(choice.topIds()).containsExactly(1, 4, 2);
        assertThat((double) choice.topLogprobs()[2]).isCloseTo(Math.log(p[2]), within(1e-5));
        assertThat(choice.confidence()).isCloseTo(-(Math.log(p[1]) + Math.log(p[4]) + Math.log(p[2])) / 3, within(1e-5));
    }

    @Test
    void suppressedEosIsNeverDrawnButStillReported() {
        float[] eosFirst = {0f, 0f, 9f, 0f, 0f, 0f};
        for (double u = 0; u < 1; u += 0.01) {
            TokenChoice c = sampler.choose(eosFirst, new SamplingSettings(1f, 1f, 0, 1), u, true, 1);
            assertThat(c.token()).isNotEqualTo(EOS);
            assertThat(c.topIds()).containsExactly(EOS);
        }
        assertThat(sampler.choose(eosFirst, SamplingSettings.greedy(0), 0, true, 0).token()).isNotEqualTo(EOS);
    }

    @Test
    void samplingFollowsTheTemperedDistribution() {
        SamplingSettings settings = new SamplingSettings(0.7f, 1f, 0, 0);
        double[] expected = softmax(logits, 0.7);
        int[] counts = new int[6];
        SplittableRandom random = new SplittableRandom(1);
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            counts[sampler.choose(logits, settings, random.nextDouble(), false, 0).token()]++;
        }
        for (int t = 0; t < 6; t++) {
            assertThat(counts[t] / (double) n).as("token " + t).isCloseTo(expected[t], within(0.005));
        }
    }

    @Test
    void topKAndTopPKeepOnlyTheMostLikely() {
        for (double u = 0; u < 1; u += 0.005) {
            int k2 = sampler.choose(logits, new SamplingSettings(1f, 1f, 2, 0), u, false, 0).token();
            assertThat(k2).isIn(1, 4);
            // p(1) = p(4) ~ 0.34 each, p(2) ~ 0.2: the nucleus of 0.5 is {1, 4}, of 0.8 adds 2
            int p5 = sampler.choose(logits, new SamplingSettings(1f, 0.5f, 0, 0), u, false, 0).token();
            assertThat(p5).isIn(1, 4);
            int p8 = sampler.choose(logits, new SamplingSettings(1f, 0.8f, 0, 0), u, false, 0).token();
            assertThat(p8).isIn(1, 4, 2);
        }
        assertThat(sampler.choose(logits, new SamplingSettings(1f, 0.01f, 0, 0), 0.999, false, 0).token())
                .as("a tiny nucleus is the most likely token (ties: lower id)").isEqualTo(1);
    }

    @Test
    void theDrawIsAFunctionOfSeedAndPositionOnly() {
        assertThat(BranchRandom.uniform(7, 30)).isEqualTo(BranchRandom.uniform(7, 30));
        assertThat(BranchRandom.uniform(7, 30)).isNotEqualTo(BranchRandom.uniform(7, 31));
        assertThat(BranchRandom.uniform(8, 30)).isNotEqualTo(BranchRandom.uniform(7, 30));
        double sum = 0;
        for (int t = 0; t < 100_000; t++) {
            double u = BranchRandom.uniform(42, t);
            assertThat(u).isBetween(0.0, 1.0);
            sum += u;
        }
        assertThat(sum / 100_000).isCloseTo(0.5, within(0.01));
        assertThat(BranchRandom.derive(1, 2)).isNotEqualTo(BranchRandom.derive(1, 3)).isNotEqualTo(BranchRandom.derive(2, 2));
    }

    @Test
    void confidenceWindowSpansTheLastTokens() {
        ConfidenceWindow window = new ConfidenceWindow(3);
        window.add(1);
        window.add(2);
        assertThat(window.isFull()).isFalse();
        window.add(3);
        window.add(10);
        assertThat(window.isFull()).isTrue();
        assertThat(window.mean()).isCloseTo(5.0, within(1e-9));
        ConfidenceWindow wider = window.resized(5);
        assertThat(wider.isFull()).isFalse();
        assertThat(wider.mean()).isCloseTo(5.0, within(1e-9));
        assertThat(window.resized(2).mean()).isCloseTo(6.5, within(1e-9));
    }
}
