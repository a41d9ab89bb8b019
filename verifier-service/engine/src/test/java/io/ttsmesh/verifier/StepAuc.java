package io.ttsmesh.verifier;

import java.util.Arrays;
import java.util.Comparator;

/** ROC AUC (Mann-Whitney U, ties counted half), as the training script's metrics.auc computes it. */
public final class StepAuc {

    private StepAuc() {
    }

    public static double of(double[] scores, boolean[] labels) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        long pos = 0;
        for (boolean l : labels) {
            if (l) {
                pos++;
            }
        }
        long neg = labels.length - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        double rankSum = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j < order.length && scores[order[j]] == scores[order[i]]) {
                j++;
            }
            double avgRank = (i + 1 + j) / 2.0;
            for (int k = i; k < j; k++) {
                if (labels[order[k]]) {
                    rankSum += avgRank;
                }
            }
            i = j;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / (pos * (double) neg);
    }
}
