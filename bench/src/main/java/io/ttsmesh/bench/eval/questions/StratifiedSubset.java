package io.ttsmesh.bench.eval.questions;

import io.ttsmesh.mesh.questions.Question;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A documented, reproducible subset: {@code size} questions split over the strata (task and difficulty) in
 * proportion to their share of the file (largest remainder), taking the first questions of each stratum in file
 * order. The result keeps file order, so a larger subset contains a smaller one.
 */
public final class StratifiedSubset {

    private StratifiedSubset() {
    }

    public static List<Question> of(List<Question> questions, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("subset size must be at least 1, got " + size);
        }
        if (size >= questions.size()) {
            return questions;
        }
        Map<String, List<Question>> strata = new LinkedHashMap<>();
        for (Question q : questions) {
            strata.computeIfAbsent(stratum(q), k -> new ArrayList<>()).add(q);
        }
        Map<String, Integer> quota = new LinkedHashMap<>();
        List<Map.Entry<String, Double>> remainders = new ArrayList<>();
        int given = 0;
        for (Map.Entry<String, List<Question>> e : strata.entrySet()) {
            double exact = (double) size * e.getValue().size() / questions.size();
            int whole = (int) Math.floor(exact);
            quota.put(e.getKey(), whole);
            given += whole;
            remainders.add(Map.entry(e.getKey(), exact - whole));
        }
        remainders.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()));
        for (int i = 0; given < size; i++, given++) {
            quota.merge(remainders.get(i % remainders.size()).getKey(), 1, Integer::sum);
        }
        Map<String, Integer> taken = new LinkedHashMap<>();
        List<Question> out = new ArrayList<>(size);
        for (Question q : questions) {
            int t = taken.merge(stratum(q), 1, Integer::sum);
            if (t <= quota.get(stratum(q))) {
                out.add(q);
            }
        }
        return List.copyOf(out);
    }

    /**
     * Questions per difficulty label, for the report ("2: 50, 3: 50, ..."); per task and difficulty when the
     * questions are of several tasks ("arithmetic 2: 25, ..., countdown 3: 30, ...").
     */
    public static Map<String, Integer> counts(List<Question> questions) {
        boolean oneTask = questions.stream().map(Question::task).distinct().count() <= 1;
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (Question q : questions) {
            out.merge(oneTask ? q.difficultyLabel() : q.task() + " " + q.difficultyLabel(), 1, Integer::sum);
        }
        return out;
    }

    private static String stratum(Question q) {
        return q.task() + "\u0000" + q.difficultyLabel();
    }
}
