package io.ttsmesh.search.choice;

import io.ttsmesh.search.SearchResult.AnswerTally;
import io.ttsmesh.search.tree.Branch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The rules that pick an answer from finished solutions. A solution without an answer does not vote.
 * Ties go to the solution created first (lowest branch id): a branch's id follows from the strategy's own steps,
 * while the order in which branches finish follows from how the generator batched them, which changes from run
 * to run when it serves many searches at once. So the same seed gives the same choice.
 */
public final class AnswerSelection {

    /** Wire names of the rules strategies offer as their {@code select} parameter. */
    public static final String BEST = "best";
    public static final String WEIGHTED = "weighted";
    public static final String VOTE = "vote";

    private AnswerSelection() {
    }

    public static Choice by(String rule, List<Branch> voters) {
        return switch (rule) {
            case BEST -> best(voters);
            case WEIGHTED -> weighted(voters, Branch::score);
            case VOTE -> majority(voters);
            default -> throw new IllegalArgumentException("unknown selection rule " + rule);
        };
    }

    /** The solution with the highest aggregated score (best-of-N); majority vote when none is scored. */
    public static Choice best(List<Branch> voters) {
        List<Branch> answered = voters.stream().filter(b -> b.answer() != null).toList();
        List<Branch> pool = answered.isEmpty() ? voters : answered;
        List<Branch> scored = pool.stream().filter(b -> !Double.isNaN(b.score())).toList();
        if (scored.isEmpty()) {
            Choice vote = majority(voters);
            return voters.isEmpty() ? vote : withNote(vote, "no solution was scored; majority vote");
        }
        Branch chosen = scored.stream().min(BY_SCORE_THEN_CREATION).orElseThrow();
        List<AnswerTally> tallies = tallies(voters, Branch::score);
        tallies.sort(Comparator.comparingDouble(AnswerTally::bestScore).reversed());
        return new Choice(chosen, chosen.answer(), tallies, answered.isEmpty() ? "no solution stated an answer" : null);
    }

    /**
     * The solution with the highest {@code value} (e.g. a particle's weight); majority vote when no solution
     * has a value.
     */
    public static Choice highest(List<Branch> voters, ToDoubleFunction<Branch> value) {
        List<Branch> answered = voters.stream().filter(b -> b.answer() != null).toList();
        List<Branch> pool = answered.isEmpty() ? voters : answered;
        Branch chosen = pool.stream().filter(b -> !Double.isNaN(value.applyAsDouble(b)))
                .min(Comparator.comparingDouble((Branch b) -> value.applyAsDouble(b)).reversed()
                        .thenComparing(BY_SCORE_THEN_CREATION))
                .orElse(null);
        if (chosen == null) {
            Choice vote = majority(voters);
            return voters.isEmpty() ? vote : withNote(vote, "no solution was scored; majority vote");
        }
        List<AnswerTally> tallies = tallies(voters, Branch::score);
        tallies.sort(Comparator.comparingDouble(AnswerTally::bestScore).reversed());
        return new Choice(chosen, chosen.answer(), tallies, answered.isEmpty() ? "no solution stated an answer" : null);
    }

    /**
     * The answer whose solutions have the largest summed weight (weighted best-of-N with the aggregated
     * score as weight); majority vote when every weight is missing.
     */
    public static Choice weighted(List<Branch> voters, ToDoubleFunction<Branch> weight) {
        Map<String, Double> sums = new LinkedHashMap<>();
        for (Branch b : byCreation(voters)) {
            if (b.answer() != null) {
                double w = weight.applyAsDouble(b);
                sums.merge(b.answer(), Double.isNaN(w) ? 0 : w, Double::sum);
            }
        }
        if (sums.values().stream().allMatch(w -> w == 0)) {
            Choice vote = majority(voters);
            return sums.isEmpty() ? vote : withNote(vote, "no solution had a weight; majority vote");
        }
        String answer = null;
        double bestSum = Double.NEGATIVE_INFINITY;
        for (var e : sums.entrySet()) {
            if (e.getValue() > bestSum) {
                bestSum = e.getValue();
                answer = e.getKey();
            }
        }
        List<AnswerTally> tallies = tallies(voters, Branch::score);
        tallies.sort(Comparator.comparingDouble((AnswerTally t) -> sums.getOrDefault(t.answer(), 0.0)).reversed());
        return new Choice(representative(voters, answer), answer, tallies, null);
    }

    /** The most frequent answer (self-consistency); ties go to the larger score sum, then to the first created. */
    public static Choice majority(List<Branch> voters) {
        List<AnswerTally> tallies = tallies(voters, Branch::score);
        if (tallies.isEmpty()) {
            if (voters.isEmpty()) {
                return Choice.none("no solution finished");
            }
            Branch first = byCreation(voters).get(0);
            return new Choice(first, null, List.of(), "no solution stated an answer");
        }
        tallies.sort(Comparator.comparingInt(AnswerTally::votes).reversed()
                .thenComparing(Comparator.comparingDouble(AnswerTally::scoreSum).reversed()));
        String answer = tallies.get(0).answer();
        return new Choice(representative(voters, answer), answer, tallies, null);
    }

    /** Highest score first, NaN last, then the first created. */
    public static final Comparator<Branch> BY_SCORE_THEN_CREATION = Comparator
            .comparingDouble((Branch b) -> Double.isNaN(b.score()) ? Double.NEGATIVE_INFINITY : b.score()).reversed()
            .thenComparingLong(Branch::id);

    /** Tallies in order of first appearance among the solutions as created; the caller sorts them by its rule. */
    static List<AnswerTally> tallies(List<Branch> voters, ToDoubleFunction<Branch> score) {
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (Branch b : byCreation(voters)) {
            if (b.answer() == null) {
                continue;
            }
            double s = score.applyAsDouble(b);
            double[] a = acc.computeIfAbsent(b.answer(), k -> new double[] {0, 0, Double.NaN});
            a[0]++;
            if (!Double.isNaN(s)) {
                a[1] += s;
                a[2] = Double.isNaN(a[2]) ? s : Math.max(a[2], s);
            }
        }
        List<AnswerTally> out = new ArrayList<>();
        acc.forEach((answer, a) -> out.add(new AnswerTally(answer, (int) a[0], a[1], Double.isNaN(a[2]) ? 0 : a[2])));
        return out;
    }

    private static Branch representative(List<Branch> voters, String answer) {
        return voters.stream().filter(b -> answer.equals(b.answer())).min(BY_SCORE_THEN_CREATION).orElse(null);
    }

    private static List<Branch> byCreation(List<Branch> voters) {
        return voters.stream().sorted(Comparator.comparingLong(Branch::id)).toList();
    }

    private static Choice withNote(Choice c, String note) {
        return new Choice(c.branch(), c.answer(), c.tallies(), note);
    }
}
