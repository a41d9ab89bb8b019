package io.ttsmesh.bench.eval.optimal;

import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.bench.eval.results.QuestionResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Learns a compute-optimal routing table per task and difficulty (Snell et al. 2024, with the question's own task
 * and difficulty as the difficulty signal): for each mean-token budget, which candidate run each (task, difficulty)
 * cell of questions gets, so that the expected accuracy over the evaluation mix is highest while the expected mean
 * tokens stay within the budget. Both are computed from training results only, per cell; the cells are weighted by
 * their share of the evaluation mix (each task's share times the cell's share of that task's training questions).
 *
 * <p>The allocation is a multiple-choice knapsack, solved exactly (dynamic programming over the budget in steps of
 * 1/{@value #STEPS} of it, each cell's cost rounded up, so the budget is never exceeded by rounding); ties go to
 * fewer tokens. Cells may get more than the budget and others less: that is the point of routing. The route of a
 * question depends on its task and difficulty only, both known from the question text before anything runs.
 *
 * <p>Never give it held-out results: the table would then be chosen on the questions it is judged on.
 */
public final class RoutingLearner {

    static final int STEPS = 4000;

    /** A candidate run with its results on the training questions (of any tasks). */
    public record Candidate(RunConfig run, List<QuestionResult> results) {
    }

    /** Questions of one task and difficulty. */
    public record Cell(String task, String difficulty) implements Comparable<Cell> {
        @Override
        public int compareTo(Cell o) {
            return Comparator.comparing(Cell::task).thenComparing(Cell::difficulty).compare(this, o);
        }

        @Override
        public String toString() {
            return task + " " + difficulty;
        }
    }

    /** What a cell gets at one budget, with the training numbers behind the choice. */
    public record Choice(Cell cell, double weight, int questions, String run, double accuracy, double meanTokens) {
    }

    /**
     * One budget's routes.
     *
     * @param expectedAccuracy and @param expectedTokens over the evaluation mix, from the training numbers
     * @param fits false when even the cheapest runs exceed the budget (the cheapest are then named)
     */
    public record Row(long budget, List<Choice> choices, double expectedAccuracy, double expectedTokens, boolean fits) {
    }

    /** The learned table. */
    public record Table(Map<String, Double> taskShares, List<Row> rows, Map<String, RunConfig> runs) {

        /** The run a question gets at a budget: its cell's, else that of the nearest difficulty of its task. */
        public RunConfig route(long budget, Question q) {
            Row row = rows.stream().filter(r -> r.budget() == budget).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no row for budget " + budget));
            String d = q.difficultyLabel();
            Choice best = null;
            for (Choice c : row.choices()) {
                if (!c.cell().task().equals(q.task())) {
                    continue;
                }
                if (c.cell().difficulty().equals(d)) {
                    best = c;
                    break;
                }
                if (best == null || distance(c.cell().difficulty(), d) < distance(best.cell().difficulty(), d)) {
                    best = c;
                }
            }
            if (best == null) {
                throw new IllegalArgumentException("the routing table has no cell of task " + q.task() + " (question "
                        + q.id() + ")");
            }
            return runs.get(best.run());
        }

        private static double distance(String a, String b) {
            try {
                return Math.abs(Double.parseDouble(a) - Double.parseDouble(b));
            } catch (NumberFormatException e) {
                return Double.MAX_VALUE;
            }
        }
    }

    /**
     * @param candidates runs with their training results; a candidate is considered for a cell when it has results
     *                   on all of that cell's training questions
     * @param trainQuestions the training questions, per task (their cells and each cell's share of its task)
     * @param taskShares each task's share of the evaluation mix (they need not sum to 1; they are normalized)
     * @param budgets mean generated tokens per question of the evaluation mix
     */
    public Table learn(List<Candidate> candidates, List<Question> trainQuestions, Map<String, Double> taskShares,
                       List<Long> budgets) {
        if (candidates.isEmpty() || budgets.isEmpty() || trainQuestions.isEmpty()) {
            throw new IllegalArgumentException("need candidates, training questions and budgets");
        }
        double shareSum = taskShares.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<Cell, List<String>> cellIds = new TreeMap<>();
        Map<String, Integer> perTask = new HashMap<>();
        for (Question q : trainQuestions) {
            if (!taskShares.containsKey(q.task())) {
                continue;
            }
            cellIds.computeIfAbsent(new Cell(q.task(), q.difficultyLabel()), k -> new ArrayList<>()).add(q.id());
            perTask.merge(q.task(), 1, Integer::sum);
        }
        for (String task : taskShares.keySet()) {
            if (!perTask.containsKey(task)) {
                throw new IllegalArgumentException("no training questions of task " + task);
            }
        }
        List<Cell> cells = new ArrayList<>(cellIds.keySet());
        double[] weights = new double[cells.size()];
        List<List<Choice>> options = new ArrayList<>();
        Map<String, RunConfig> runs = new LinkedHashMap<>();
        for (int c = 0; c < cells.size(); c++) {
            Cell cell = cells.get(c);
            List<String> ids = cellIds.get(cell);
            weights[c] = taskShares.get(cell.task()) / shareSum * ids.size() / perTask.get(cell.task());
            List<Choice> cellOptions = new ArrayList<>();
            for (Candidate cand : candidates) {
                Map<String, QuestionResult> byId = new HashMap<>();
                cand.results().stream().filter(r -> r.taskName().equals(cell.task())).forEach(r -> byId.put(r.id(), r));
                if (!byId.keySet().containsAll(ids)) {
                    continue;
                }
                double correct = 0;
                double tokens = 0;
                for (String id : ids) {
                    QuestionResult r = byId.get(id);
                    correct += r.correct() ? 1 : 0;
                    tokens += r.generatedTokens();
                }
                cellOptions.add(new Choice(cell, weights[c], ids.size(), cand.run().name(), correct / ids.size(),
                        tokens / ids.size()));
                runs.putIfAbsent(cand.run().name(), cand.run());
            }
            if (cellOptions.isEmpty()) {
                throw new IllegalArgumentException("no candidate has results on every training question of " + cell);
            }
            options.add(cellOptions);
        }
        List<Row> rows = new ArrayList<>();
        for (long budget : budgets.stream().distinct().sorted().toList()) {
            rows.add(allocate(budget, weights, options));
        }
        return new Table(Map.copyOf(taskShares), List.copyOf(rows), Map.copyOf(runs));
    }

    /** The exact multiple-choice knapsack over the cells at one budget. */
    static Row allocate(long budget, double[] weights, List<List<Choice>> options) {
        int cells = options.size();
        double unit = (double) budget / STEPS;
        double[][] value = new double[cells + 1][STEPS + 1];
        double[][] cost = new double[cells + 1][STEPS + 1];
        int[][] pick = new int[cells + 1][STEPS + 1];
        for (int c = 1; c <= cells; c++) {
            java.util.Arrays.fill(value[c], Double.NEGATIVE_INFINITY);
            List<Choice> opts = options.get(c - 1);
            for (int b = 0; b <= STEPS; b++) {
                for (int o = 0; o < opts.size(); o++) {
                    double w = weights[c - 1] * opts.get(o).meanTokens();
                    int units = (int) Math.ceil(w / unit - 1e-9);
                    if (units > b || value[c - 1][b - units] == Double.NEGATIVE_INFINITY) {
                        continue;
                    }
                    double v = value[c - 1][b - units] + weights[c - 1] * opts.get(o).accuracy();
                    double k = cost[c - 1][b - units] + w;
                    if (v > value[c][b] + 1e-12 || (Math.abs(v - value[c][b]) <= 1e-12 && k < cost[c][b])) {
                        value[c][b] = v;
                        cost[c][b] = k;
                        pick[c][b] = o;
                    }
                }
            }
        }
        if (value[cells][STEPS] == Double.NEGATIVE_INFINITY) {
            List<Choice> cheapest = new ArrayList<>();
            for (List<Choice> opts : options) {
                cheapest.add(opts.stream().min(Comparator.comparingDouble(Choice::meanTokens)).orElseThrow());
            }
            return row(budget, cheapest, false);
        }
        List<Choice> chosen = new ArrayList<>();
        int b = STEPS;
        for (int c = cells; c >= 1; c--) {
            Choice ch = options.get(c - 1).get(pick[c][b]);
            chosen.addFirst(ch);
            b -= (int) Math.ceil(weights[c - 1] * ch.meanTokens() / unit - 1e-9);
        }
        return row(budget, chosen, true);
    }

    private static Row row(long budget, List<Choice> chosen, boolean fits) {
        double accuracy = 0;
        double tokens = 0;
        for (Choice c : chosen) {
            accuracy += c.weight() * c.accuracy();
            tokens += c.weight() * c.meanTokens();
        }
        return new Row(budget, List.copyOf(chosen), accuracy, tokens, fits);
    }
}
