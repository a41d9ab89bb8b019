package io.ttsmesh.bench.eval.optimal;

import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.search.settings.ComputeOptimalTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns a compute-optimal table (Snell et al. 2024) from evaluation results on a training split.
 *
 * <p>Difficulty: each question's estimate is what the compute_optimal policy itself computes at run time (the
 * mean verifier score of its few samples), recorded by a probe run. Questions are cut into bins at quantiles
 * of the estimate. For each token budget row and each bin, the table names the candidate run with the highest
 * accuracy on that bin's questions among those that fit the budget: the difficulty samples plus the candidate's
 * tokens stay within the budget on {@code fitQuantile} of the bin's questions (the budget is a hard bound at run
 * time, so a candidate that usually overran it would be cut short). Ties go to fewer tokens; when nothing fits,
 * the cheapest candidate is named.
 *
 * <p>Never give it held-out results: the table would then be chosen on the questions it is judged on.
 */
public final class TableLearner {

    /**
     * @param samples difficulty samples the runtime draws (the probe run used the same)
     * @param bins number of difficulty bins (quantiles of the estimate)
     * @param fitQuantile share of a bin's questions a candidate must fit the budget on
     */
    public record Settings(int samples, int bins, double fitQuantile, String verifier, String aggregation) {
    }

    /** A candidate strategy with its results on the training questions. */
    public record Candidate(RunConfig run, List<QuestionResult> results) {
    }

    /** What was learned, with the numbers behind each cell (for the report). */
    public record Learned(ComputeOptimalTable table, double[] edges, Map<Long, List<Cell>> cells) {
    }

    /** One (budget, bin) cell: the chosen candidate and how it did on the bin's training questions. */
    public record Cell(int bin, double maxEstimate, int questions, String chosen, double accuracy, double meanTokens,
                       boolean fits) {
    }

    private final Settings settings;

    public TableLearner(Settings settings) {
        this.settings = settings;
    }

    /**
     * @param estimates difficulty estimate per question id (from the probe run)
     * @param probeTokens generated tokens of the difficulty samples per question id
     * @param budgets the token budgets of the table's rows
     */
    public Learned learn(String name, String description, Map<String, Double> estimates, Map<String, Long> probeTokens,
                         List<Candidate> candidates, List<Long> budgets) {
        if (estimates.isEmpty()) {
            throw new IllegalArgumentException("no difficulty estimates: the probe run has no results");
        }
        if (candidates.isEmpty() || budgets.isEmpty()) {
            throw new IllegalArgumentException("need at least one candidate run and one budget");
        }
        double[] edges = edges(estimates.values().stream().mapToDouble(Double::doubleValue).sorted().toArray(), settings.bins());
        Map<String, Integer> binOf = new HashMap<>();
        estimates.forEach((id, e) -> binOf.put(id, bin(edges, e)));
        List<Map<String, QuestionResult>> byId = candidates.stream().map(c -> {
            Map<String, QuestionResult> m = new HashMap<>();
            c.results().forEach(r -> m.put(r.id(), r));
            return m;
        }).toList();
        List<ComputeOptimalTable.BudgetRow> rows = new ArrayList<>();
        Map<Long, List<Cell>> cells = new java.util.TreeMap<>();
        for (long budget : budgets.stream().sorted().distinct().toList()) {
            List<ComputeOptimalTable.Bin> tableBins = new ArrayList<>();
            List<Cell> rowCells = new ArrayList<>();
            for (int b = 0; b < edges.length; b++) {
                final int bin = b;
                List<String> ids = binOf.entrySet().stream().filter(e -> e.getValue() == bin).map(Map.Entry::getKey)
                        .sorted().toList();
                Choice best = null;
                Choice cheapest = null;
                for (int c = 0; c < candidates.size(); c++) {
                    Choice choice = evaluate(c, byId.get(c), ids, probeTokens, budget);
                    if (choice == null) {
                        continue;
                    }
                    if (cheapest == null || choice.meanTokens < cheapest.meanTokens) {
                        cheapest = choice;
                    }
                    if (choice.fits && (best == null || choice.accuracy > best.accuracy
                            || (choice.accuracy == best.accuracy && choice.meanTokens < best.meanTokens))) {
                        best = choice;
                    }
                }
                Choice chosen = best != null ? best : cheapest;
                if (chosen == null) {
                    throw new IllegalArgumentException("no candidate has results for the questions of bin " + b);
                }
                RunConfig run = candidates.get(chosen.candidate).run();
                tableBins.add(new ComputeOptimalTable.Bin(edges[b],
                        new ComputeOptimalTable.StrategyEntry(run.strategy().name(), run.strategy().params()),
                        round(chosen.accuracy), round(chosen.meanTokens)));
                rowCells.add(new Cell(b, edges[b], ids.size(), run.name(), chosen.accuracy, chosen.meanTokens, chosen.fits));
            }
            rows.add(new ComputeOptimalTable.BudgetRow(budget, tableBins));
            cells.put(budget, rowCells);
        }
        ComputeOptimalTable table = new ComputeOptimalTable(ComputeOptimalTable.FORMAT, ComputeOptimalTable.VERSION, name,
                description, new ComputeOptimalTable.Difficulty(settings.samples(), settings.verifier(), settings.aggregation()),
                rows);
        return new Learned(table, edges, cells);
    }

    private record Choice(int candidate, double accuracy, double meanTokens, boolean fits) {
    }

    private Choice evaluate(int candidate, Map<String, QuestionResult> results, List<String> ids,
                            Map<String, Long> probeTokens, long budget) {
        int n = 0;
        int correct = 0;
        double tokens = 0;
        long[] totals = new long[ids.size()];
        for (String id : ids) {
            QuestionResult r = results.get(id);
            if (r == null || !r.done()) {
                continue;
            }
            long total = probeTokens.getOrDefault(id, 0L) + r.generatedTokens();
            totals[n] = total;
            n++;
            correct += r.correct() ? 1 : 0;
            tokens += total;
        }
        if (n == 0) {
            return null;
        }
        long[] sorted = Arrays.copyOf(totals, n);
        Arrays.sort(sorted);
        long atQuantile = sorted[Math.min(n - 1, (int) Math.ceil(settings.fitQuantile() * n) - 1)];
        return new Choice(candidate, (double) correct / n, tokens / n, atQuantile <= budget);
    }

    /**
     * Upper edges of {@code bins} quantile bins of the sorted estimates; the last is 1.0. Equal edges (many
     * questions with one estimate) merge, so there may be fewer bins than asked.
     */
    static double[] edges(double[] sorted, int bins) {
        List<Double> out = new ArrayList<>();
        for (int b = 1; b < bins; b++) {
            double q = sorted[Math.min(sorted.length - 1, (int) Math.ceil((double) b * sorted.length / bins) - 1)];
            double edge = round(q);
            if (edge < 1.0 && (out.isEmpty() || edge > out.get(out.size() - 1))) {
                out.add(edge);
            }
        }
        out.add(1.0);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The first bin whose upper edge is at least the estimate (as ComputeOptimalTable.lookup does). */
    static int bin(double[] edges, double estimate) {
        for (int i = 0; i < edges.length; i++) {
            if (estimate <= edges[i]) {
                return i;
            }
        }
        return edges.length - 1;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    /** Candidates ordered as they were given (for stable output). */
    public static Comparator<Candidate> byName() {
        return Comparator.comparing(c -> c.run().name());
    }
}
