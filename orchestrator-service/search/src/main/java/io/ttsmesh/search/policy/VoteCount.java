package io.ttsmesh.search.policy;

import io.ttsmesh.search.tree.Branch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The (weighted) vote of the finished branches, as the early-exit policies read it. */
record VoteCount(List<Map.Entry<String, Double>> ranked, double total, int votes) {

    static VoteCount of(List<Branch> voters, ToDoubleFunction<Branch> weight) {
        Map<String, Double> sums = new LinkedHashMap<>();
        int votes = 0;
        for (Branch b : voters) {
            if (b.answer() == null) {
                continue;
            }
            double w = weight.applyAsDouble(b);
            sums.merge(b.answer(), Double.isNaN(w) ? 0 : Math.max(0, w), Double::sum);
            votes++;
        }
        List<Map.Entry<String, Double>> ranked = new ArrayList<>(sums.entrySet());
        ranked.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        return new VoteCount(ranked, sums.values().stream().mapToDouble(Double::doubleValue).sum(), votes);
    }

    String leader() {
        return ranked.isEmpty() ? null : ranked.get(0).getKey();
    }

    double leaderWeight() {
        return ranked.isEmpty() ? 0 : ranked.get(0).getValue();
    }

    double runnerUpWeight() {
        return ranked.size() < 2 ? 0 : ranked.get(1).getValue();
    }

    double share() {
        return total == 0 ? 0 : leaderWeight() / total;
    }
}
