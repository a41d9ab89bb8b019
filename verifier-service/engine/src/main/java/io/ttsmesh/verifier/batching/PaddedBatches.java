package io.ttsmesh.verifier.batching;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Cuts a gathered batch into sub-batches of similar lengths: sorted by length, a sub-batch grows while
 * its padded size (rows x longest row) stays within {@code 1 + maxPadding} times its real tokens and
 * within {@code maxTokens} (0: no bound). One long candidate then no longer makes thirty short ones pay for
 * its length.
 */
public final class PaddedBatches {

    private PaddedBatches() {
    }

    public static <T> List<List<T>> split(List<T> items, ToIntFunction<T> length, double maxPadding, int maxTokens) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingInt(length));
        List<List<T>> out = new ArrayList<>();
        List<T> current = new ArrayList<>();
        long real = 0;
        for (T item : sorted) {
            int len = length.applyAsInt(item);
            long padded = (long) (current.size() + 1) * len;
            boolean tooPadded = padded > (1 + maxPadding) * (real + len);
            if (!current.isEmpty() && (tooPadded || (maxTokens > 0 && padded > maxTokens))) {
                out.add(current);
                current = new ArrayList<>();
                real = 0;
            }
            current.add(item);
            real += len;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }
}
