package io.ttsmesh.generator.engine.sampling;

import java.util.Arrays;

/**
 * Draws a token from next-token logits: greedy (argmax), or temperature with optional top-k and top-p,
 * by inverting the cumulative distribution at a uniform number the caller provides ({@link BranchRandom}),
 * so the draw is a pure function of (logits, settings, uniform). Reports the log-probabilities of the
 * raw distribution. Holds scratch space: one instance per thread.
 */
public final class Sampler {

    private final int[] eosIds;
    private final float[] weights;
    private final int[] heap;
    private final int[] kept;

    public Sampler(int vocabSize, int[] eosIds) {
        this.eosIds = eosIds.clone();
        this.weights = new float[vocabSize];
        this.heap = new int[vocabSize];
        this.kept = new int[vocabSize];
    }

    /**
     * @param uniform a number in [0, 1) (ignored when greedy)
     * @param suppressEos the end-of-sequence tokens may not be drawn
     * @param topLogprobs how many alternatives to report
     */
    public TokenChoice choose(float[] logits, SamplingSettings settings, double uniform, boolean suppressEos, int topLogprobs) {
        int vocab = weights.length;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logits[i] - max);
        }
        float logZ = (float) (max + Math.log(sum));
        int token = settings.isGreedy() ? argmax(logits, suppressEos) : draw(logits, settings, uniform, suppressEos);
        int k = Math.min(topLogprobs, vocab);
        int[] topIds = top(logits, k);
        float[] topLogprobs1 = new float[k];
        for (int i = 0; i < k; i++) {
            topLogprobs1[i] = logits[topIds[i]] - logZ;
        }
        return new TokenChoice(token, logits[token] - logZ, topIds, topLogprobs1);
    }

    private boolean banned(int token, boolean suppressEos) {
        if (!suppressEos) {
            return false;
        }
        for (int eos : eosIds) {
            if (eos == token) {
                return true;
            }
        }
        return false;
    }

    private int argmax(float[] logits, boolean suppressEos) {
        int best = -1;
        for (int i = 0; i < weights.length; i++) {
            if (!banned(i, suppressEos) && (best < 0 || logits[i] > logits[best])) {
                best = i;
            }
        }
        return best;
    }

    private int draw(float[] logits, SamplingSettings settings, double uniform, boolean suppressEos) {
        int vocab = weights.length;
        int candidates = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            if (!banned(i, suppressEos)) {
                kept[candidates++] = i;
                max = Math.max(max, logits[i]);
            }
        }
        if (settings.topK() > 0 && settings.topK() < candidates) {
            candidates = keepTopK(logits, candidates, settings.topK());
        }
        float inverseTemperature = 1f / settings.temperature();
        double total = 0;
        for (int c = 0; c < candidates; c++) {
            int i = kept[c];
            float w = (float) Math.exp((logits[i] - max) * inverseTemperature);
            weights[i] = w;
            total += w;
        }
        if (settings.topP() < 1f) {
            candidates = keepNucleus(candidates, total, settings.topP());
            total = 0;
            for (int c = 0; c < candidates; c++) {
                total += weights[kept[c]];
            }
        }
        double target = uniform * total;
        double cumulative = 0;
        for (int c = 0; c < candidates; c++) {
            cumulative += weights[kept[c]];
            if (target < cumulative) {
                return kept[c];
            }
        }
        return kept[candidates - 1];
    }

    /** Keeps the candidates whose logit reaches the k-th largest (ties at the threshold stay), in id order. */
    private int keepTopK(float[] logits, int candidates, int k) {
        float[] values = new float[candidates];
        for (int c = 0; c < candidates; c++) {
            values[c] = logits[kept[c]];
        }
        Arrays.sort(values);
        float threshold = values[candidates - k];
        int n = 0;
        for (int c = 0; c < candidates; c++) {
            if (logits[kept[c]] >= threshold) {
                kept[n++] = kept[c];
            }
        }
        return n;
    }

    /**
     * Keeps the smallest set of most likely candidates whose weight reaches {@code topP} of the total,
     * most likely first. A max-heap pops only as many tokens as the nucleus holds, so a large vocabulary
     * costs O(V + nucleus log V) instead of a full sort.
     */
    private int keepNucleus(int candidates, double total, float topP) {
        System.arraycopy(kept, 0, heap, 0, candidates);
        int size = candidates;
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i, size);
        }
        double needed = topP * total;
        double cumulative = 0;
        int n = 0;
        while (size > 0 && cumulative < needed) {
            int best = heap[0];
            kept[n++] = best;
            cumulative += weights[best];
            heap[0] = heap[--size];
            siftDown(0, size);
        }
        return n;
    }

    private boolean before(int a, int b) {
        return weights[a] > weights[b] || (weights[a] == weights[b] && a < b);
    }

    private void siftDown(int i, int size) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int child = left + 1 < size && before(heap[left + 1], heap[left]) ? left + 1 : left;
            if (!before(heap[child], heap[i])) {
                return;
            }
            int t = heap[i];
            heap[i] = heap[child];
            heap[child] = t;
            i = child;
        }
    }

    /** The k largest logits' ids, largest first, ties by lower id. */
    private static int[] top(float[] logits, int k) {
        int[] ids = new int[k];
        int n = 0;
        for (int i = 0; i < logits.length && k > 0; i++) {
            if (n == k && logits[i] <= logits[ids[k - 1]]) {
                continue;
            }
            int at = Math.min(n, k - 1);
            while (at > 0 && logits[i] > logits[ids[at - 1]]) {
                ids[at] = ids[at - 1];
                at--;
            }
            ids[at] = i;
            n = Math.min(n + 1, k);
        }
        return ids;
    }
}
