package io.ttsmesh.bench.report;

import io.ttsmesh.bench.eval.optimal.RoutingLearner;
import io.ttsmesh.bench.eval.plots.AccuracyVsTokensChart;
import io.ttsmesh.bench.eval.questions.StratifiedSubset;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.bench.eval.stats.Bootstrap;
import io.ttsmesh.bench.eval.stats.Comparison;
import io.ttsmesh.bench.eval.stats.RunSummary;
import io.ttsmesh.bench.eval.summary.Summaries;
import io.ttsmesh.bench.eval.summary.SummaryTable;
import io.ttsmesh.search.routing.RoutedSelector;
import io.ttsmesh.search.settings.RoutingTable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The report's markdown (and charts) for the parts {@link TaskStudy} ran: the verifier ladder of each task, the
 * Countdown comparison at equal tokens and the routing table on the mixed set. Verdicts are computed from the numbers
 * shown; a difference counts only when its 95% interval excludes zero.
 */
final class TaskSections {

    private static final Bootstrap PAIRED = new Bootstrap(2000, 1);
    static final String ORACLE_LABEL = "oracle (upper bound, not a method)";
    /** Verifier columns of the ladder: the run-name suffix of each, and its heading. */
    private static final String[][] VERIFIERS = {{"+confidence", "confidence"}, {"", "prm"}, {"+rules+prm", "rules+prm"},
            {"+oracle", ORACLE_LABEL}};
    /** Method rows of the ladder: the run-name family, and its name in words. */
    private static final String[][] METHODS = {{"best_of_n", "best-of-N"}, {"weighted_best_of_n", "weighted best-of-N"},
            {"beam_search", "beam search"}, {"dvts", "DVTS"}, {"particle_filter", "particle filtering"},
            {"best_first", "best-first"}, {"mcts", "MCTS"}};
    private static final int[] LADDER_N = {8, 16};

    private final TaskStudy.Result r;
    private final String charts;

    TaskSections(TaskStudy.Result result, String charts) {
        this.r = result;
        this.charts = charts;
    }

    void writeCharts(Path chartDir, String models) {
        for (TaskStudy.Ladder l : List.of(r.arithmetic(), r.countdown())) {
            AccuracyVsTokensChart.write("Verifier ladder, " + l.task() + " (" + l.questions().size() + " held-out questions)"
                    + models, l.summaries().runs(), chartDir.resolve("ladder-" + l.task() + ".png"));
        }
        List<RunSummary> mixed = new ArrayList<>(r.mixed().fixed().runs());
        r.mixed().routed().forEach(x -> mixed.add(x.summary()));
        AccuracyVsTokensChart.write("Mixed held-out set: fixed strategies and compute-optimal routing" + models, mixed,
                chartDir.resolve("mixed-routing.png"));
    }

    // ------------------------------------------------------------------ summary

    List<String> summaryBullets() {
        List<String> out = new ArrayList<>();
        for (TaskStudy.Ladder l : List.of(r.arithmetic(), r.countdown())) {
            Optional<RunSummary> best = l.summaries().runs().stream().filter(x -> x.run().name().endsWith("@16"))
                    .filter(x -> !"oracle".equals(x.run().verifier()))
                    .max(java.util.Comparator.comparingDouble(x -> x.accuracy().estimate()));
            Optional<RunSummary> oracle = l.summaries().run("best_of_n+oracle@16");
            Optional<RunSummary> sc = l.summaries().run("self_consistency@16");
            if (best.isPresent() && sc.isPresent()) {
                out.add(String.format(Locale.ROOT, "Verifier ladder, %s (N = 16, %d held-out questions): best method %s "
                                + "%.3f vs self-consistency %.3f%s.", l.task(), l.questions().size(), best.get().run().name(),
                        best.get().accuracy().estimate(), sc.get().accuracy().estimate(),
                        oracle.map(o -> String.format(Locale.ROOT, "; best-of-N with the oracle (an upper bound, not a "
                                + "method) %.3f", o.accuracy().estimate())).orElse("")));
            }
        }
        TaskStudy.EqualTokens e = r.equalTokens();
        for (TaskStudy.Baseline b : List.of(e.selfConsistency(), e.outcomeCheck())) {
            out.add(String.format(Locale.ROOT, "Countdown at equal tokens: %s %.3f vs %s %.3f (%+.1f points, 95%% CI "
                            + "%+.1f to %+.1f; token ratio %.2f%s): %s.", e.guided().run().name(), b.comparison().accuracy(),
                    b.summary().run().name(), b.comparison().baselineAccuracy(),
                    100 * b.comparison().accuracyDifference().estimate(), 100 * b.comparison().accuracyDifference().low(),
                    100 * b.comparison().accuracyDifference().high(), b.match().ratio(),
                    b.match().within() ? "" : ", not within 10%", verdict(b.comparison(), "the guided search")));
        }
        int beats = 0;
        int significant = 0;
        List<String> parts = new ArrayList<>();
        for (TaskStudy.Routed x : r.mixed().routed()) {
            if (x.matched() == null) {
                continue;
            }
            Comparison c = x.matched().comparison();
            beats += c.accuracyDifference().estimate() > 0 ? 1 : 0;
            significant += c.accuracyDifference().low() > 0 ? 1 : 0;
            parts.add(String.format(Locale.ROOT, "%s %.3f vs %s %.3f (%+.1f points [%+.1f, %+.1f])", x.summary().run().name(),
                    c.accuracy(), c.baseline(), c.baselineAccuracy(), 100 * c.accuracyDifference().estimate(),
                    100 * c.accuracyDifference().low(), 100 * c.accuracyDifference().high()));
        }
        out.add(String.format(Locale.ROOT, "Mixed held-out set (%d questions, both tasks): compute-optimal routing by task "
                        + "and difficulty ahead of the best single fixed strategy at equal mean tokens at %d of %d budgets "
                        + "(significantly at %d): %s.", r.mixed().questions().size(), beats, parts.size(), significant,
                String.join("; ", parts)));
        return out;
    }

    // ------------------------------------------------------------------ ladders

    void ladder(StringBuilder md, TaskStudy.Ladder l, String heading) {
        md.append(heading).append("\n\n");
        md.append(String.format(Locale.ROOT, "%d held-out questions (%s, stratified by difficulty). Each column is a "
                        + "verifier: **none** is self-consistency (majority vote, no verifier); **confidence** scores a "
                        + "solution by the generator's own token probabilities; **prm** is the task's PRM; **rules+prm** "
                        + "stacks the task's rule checker before the PRM (a step the rules reject scores 0, the others get "
                        + "the PRM's score); **%s** is the task's oracle, which solves the question: it shows what a perfect "
                        + "step verifier would allow and is never a method. Cells: accuracy [95%% CI], mean generated "
                        + "tokens. Same seeds in every run (common random numbers): best-of-N draws the same N samples "
                        + "whatever its verifier, so its columns differ only in the choice.%n%n",
                l.questions().size(), StratifiedSubset.counts(l.questions()), ORACLE_LABEL));
        md.append("![ladder](" + charts + "/ladder-" + l.task() + ".png)\n\n");
        Summaries s = l.summaries();
        for (int n : LADDER_N) {
            md.append("| N = ").append(n).append(" | none |");
            for (String[] v : VERIFIERS) {
                md.append(' ').append(v[1]).append(" |");
            }
            md.append("\n|---|---|");
            for (int i = 0; i < VERIFIERS.length; i++) {
                md.append("---|");
            }
            md.append('\n');
            md.append("| self-consistency | ").append(cell(s, "self_consistency@" + n)).append(" |");
            for (int i = 0; i < VERIFIERS.length; i++) {
                md.append(" |");
            }
            md.append('\n');
            for (String[] m : METHODS) {
                md.append("| ").append(m[1]).append(" | |");
                for (String[] v : VERIFIERS) {
                    md.append(' ').append(cell(s, m[0] + v[0] + "@" + n)).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
        md.append("Paired differences over the same questions (points, 95% bootstrap CI; rules+prm against prm shows what "
                + "the rule checker adds, against self-consistency what the verifier adds over voting):\n\n");
        md.append("| method | N | rules+prm vs prm | rules+prm vs self-consistency | oracle bound vs rules+prm |\n|---|---:|---|---|---|\n");
        for (String[] m : METHODS) {
            for (int n : LADDER_N) {
                String stack = m[0] + "+rules+prm@" + n;
                if (s.run(stack).isEmpty()) {
                    continue;
                }
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s |%n", m[1], n,
                        difference(s, stack, m[0] + "@" + n), difference(s, stack, "self_consistency@" + n),
                        difference(s, m[0] + "+oracle@" + n, stack)));
            }
        }
        md.append('\n');
    }

    // ------------------------------------------------------------------ countdown at equal tokens

    void equalTokens(StringBuilder md, String heading) {
        TaskStudy.EqualTokens e = r.equalTokens();
        md.append(heading).append("\n\n");
        md.append(String.format(Locale.ROOT, "The guided search compared is chosen on the %d Countdown training questions: "
                        + "the most accurate of the guided searches with rules+prm at N = 8 and 16 (ties: fewer tokens).%n%n",
                r.countdownTrain().size()));
        md.append("| guided search (training split) | accuracy | 95% CI | mean tokens |\n|---|---:|---|---:|\n");
        for (RunSummary x : e.choice()) {
            md.append(String.format(Locale.ROOT, "| %s%s | %.3f | [%.3f, %.3f] | %.0f |%n", x.run().name(),
                    x.run().name().equals(e.guided().run().name()) ? " (chosen)" : "", x.accuracy().estimate(),
                    x.accuracy().low(), x.accuracy().high(), x.meanTokens()));
        }
        md.append(String.format(Locale.ROOT, "%nOn the %d held-out ladder questions, %s reaches %.3f [%.3f, %.3f] with %.0f "
                        + "mean generated tokens. Each baseline's N was searched so that its mean tokens on the same "
                        + "questions match within %.0f%% (start from the N that self-consistency@8's tokens per sample "
                        + "predict, rescale by target / measured, up to 4 tries); the comparison is paired by question, "
                        + "same seeds.%n%n", r.countdown().questions().size(), e.guided().run().name(),
                e.guided().accuracy().estimate(), e.guided().accuracy().low(), e.guided().accuracy().high(),
                e.guided().meanTokens(), 100 * TaskStudy.TOKEN_TOLERANCE));
        md.append("| baseline | N tried (mean tokens) | matched run | token ratio (baseline / guided) | within 10% "
                + "| baseline accuracy [95% CI] | guided - baseline (points, 95% CI) | verdict |\n"
                + "|---|---|---|---:|---|---|---|---|\n");
        for (TaskStudy.Baseline b : List.of(e.selfConsistency(), e.outcomeCheck())) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %s | %.3f [%.3f, %.3f] | %+.1f [%+.1f, %+.1f] | %s |%n",
                    describeFamily(b.family()), trials(b.match()), b.summary().run().name(), b.match().ratio(),
                    b.match().within() ? "yes" : "**no**", b.summary().accuracy().estimate(), b.summary().accuracy().low(),
                    b.summary().accuracy().high(), 100 * b.comparison().accuracyDifference().estimate(),
                    100 * b.comparison().accuracyDifference().low(), 100 * b.comparison().accuracyDifference().high(),
                    verdict(b.comparison(), "guided")));
        }
        md.append("\nBest-of-N by the outcome check is best_of_n with verifier `rules`: on a finished Countdown solution the "
                + "rule checker is exact (every step valid, every number used once, the target reached), so it picks a valid "
                + "solution whenever one of the N is valid. It needs no model and no solver: it is the cheap check that "
                + "Countdown affords, and the bar a guided search has to clear.\n\n");
    }

    private static String describeFamily(String family) {
        return switch (family) {
            case "self_consistency" -> "self-consistency (majority vote)";
            case "best_of_n+rules" -> "best-of-N by the outcome check (verifier rules)";
            default -> family;
        };
    }

    private static String trials(EqualTokenMatch.Match m) {
        return m.trials().stream().map(t -> String.format(Locale.ROOT, "%d (%.0f)", t.n(), t.meanTokens()))
                .collect(Collectors.joining(", "));
    }

    // ------------------------------------------------------------------ mixed set

    void mixed(StringBuilder md, String heading, List<String> taskFiles) {
        TaskStudy.Mixed m = r.mixed();
        md.append(heading).append("\n\n");
        md.append(String.format(Locale.ROOT, "**The mixed set** (%d questions: %s) is built deterministically from the two "
                        + "held-out files (%s): from each file a stratified subset of half the size (by difficulty, the first "
                        + "questions of each difficulty in file order, as everywhere in this report), interleaved one "
                        + "arithmetic, one Countdown question in turn. Its questions are inside the ladders' subsets, so the "
                        + "fixed strategies' searches at N = 8 and 16 are the ladders' own.%n%n", m.questions().size(),
                StratifiedSubset.counts(m.questions()), String.join(" and ", taskFiles)));
        md.append(String.format(Locale.ROOT, "**The routing table** is learned on the training splits only (%d arithmetic "
                        + "and %d Countdown training questions): each (task, difficulty) cell is weighted by its share of the "
                        + "mix (each task half, times the cell's share of its task), and for each budget of mean generated "
                        + "tokens per question the table gives each cell the candidate (`bench/eval/report/router-candidates.json`) "
                        + "that maximizes the expected accuracy over the mix with the expected mean tokens within the budget "
                        + "(an exact multiple-choice knapsack over the cells' training accuracy and tokens). A question is "
                        + "routed by its task and its difficulty (Task.difficulty: the operation count, the count of numbers), "
                        + "both read from the question text before anything runs; no verifier probe is spent.%n%n",
                trainCount(TaskStudy.ARITHMETIC), r.countdownTrain().size()));
        md.append(String.format(Locale.ROOT, "**Served as the orchestrator serves it.** The table is written in the "
                        + "orchestrator's format (`%s` version %d, name `%s`) to %s; the orchestrator loads it with "
                        + "`tts.orchestrator.search.routing-table`. Each routed run below is the strategy `%s` with "
                        + "`mean_tokens` set to the row's budget, run by the search module's SearchRunner in-process with "
                        + "that table in its settings: the selector reads the question's difficulty from its task, picks "
                        + "the route and runs it (the candidates' budget, sampling and seeds; the route's verifier). Its "
                        + "numbers are the served path's own searches, not composed from the candidates' results.%n%n",
                RoutingTable.FORMAT, RoutingTable.VERSION, m.served().name(), m.tableFiles().stream()
                        .map(p -> "`" + p + "`").collect(Collectors.joining(" and ")), RoutedSelector.NAME));
        md.append("| budget (mean tokens) | cell | training questions | chosen | training accuracy | training tokens |\n"
                + "|---:|---|---:|---|---:|---:|\n");
        for (RoutingLearner.Row row : m.table().rows()) {
            for (RoutingLearner.Choice c : row.choices()) {
                md.append(String.format(Locale.ROOT, "| %d | %s | %d | %s | %.3f | %.0f |%n", row.budget(), c.cell(),
                        c.questions(), c.run(), c.accuracy(), c.meanTokens()));
            }
            md.append(String.format(Locale.ROOT, "| %d | **expected over the mix** | | %s | %.3f | %.0f |%n", row.budget(),
                    row.fits() ? "" : "nothing fits: cheapest", row.expectedAccuracy(), row.expectedTokens()));
        }
        md.append("\n![mixed](" + charts + "/mixed-routing.png)\n\n");
        md.append("**On the mixed held-out set**, each routed run against the best single fixed strategy at its mean tokens: "
                + "first the fixed strategies' curves interpolated at the routed run's tokens (log tokens, between the two "
                + "nearest N; no extrapolation), then the most accurate of them run at the N whose mean tokens match within "
                + "10%, paired by question:\n\n");
        md.append("| routed run | accuracy [95% CI] | mean tokens | best fixed curve at these tokens | matched fixed run "
                + "(N tried: tokens) | token ratio (fixed / routed) | routed - fixed (points, 95% CI) | verdict |\n"
                + "|---|---|---:|---|---|---:|---|---|\n");
        for (TaskStudy.Routed x : m.routed()) {
            RunSummary s = x.summary();
            if (x.matched() == null) {
                md.append(String.format(Locale.ROOT, "| %s | %.3f [%.3f, %.3f] | %.0f | none reaches these tokens | | | | |%n",
                        s.run().name(), s.accuracy().estimate(), s.accuracy().low(), s.accuracy().high(), s.meanTokens()));
                continue;
            }
            Comparison c = x.matched().comparison();
            md.append(String.format(Locale.ROOT, "| %s | %.3f [%.3f, %.3f] | %.0f | %s %.3f | %s (%s) | %.2f%s | %+.1f [%+.1f, %+.1f] | %s |%n",
                    s.run().name(), s.accuracy().estimate(), s.accuracy().low(), s.accuracy().high(), s.meanTokens(),
                    x.bestCurve(), x.bestCurveAccuracy(), x.matched().summary().run().name(), trials(x.matched().match()),
                    x.matched().match().ratio(), x.matched().match().within() ? "" : " (not within 10%)",
                    100 * c.accuracyDifference().estimate(), 100 * c.accuracyDifference().low(),
                    100 * c.accuracyDifference().high(), verdict(c, "routing")));
        }
        md.append("\nCross-check: each served routed run against composing every question's result from the fixed run the "
                + "learner routes it to (that run's search of the question is the same request but for its id, so the two "
                + "should agree up to the in-process engines' batching):\n\n");
        md.append("| routed run | served accuracy | composed accuracy | served tokens | composed tokens | ran the learner's route "
                + "| same grade | same tokens |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (TaskStudy.Routed x : m.routed()) {
            TaskStudy.CrossCheck c = x.composed();
            md.append(String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.0f | %.0f | %d / %d | %d / %d | %d / %d |%n",
                    x.summary().run().name(), x.summary().accuracy().estimate(), c.composedAccuracy(),
                    x.summary().meanTokens(), c.composedMeanTokens(), c.sameRoute(), c.questions(), c.sameCorrect(),
                    c.questions(), c.sameTokens(), c.questions()));
        }
        md.append("\nWhat the routed runs chose on the held-out questions, and every fixed strategy on the mixed set:\n\n");
        for (TaskStudy.Routed x : m.routed()) {
            md.append("- ").append(x.summary().run().name()).append(": ").append(chosen(x)).append('\n');
        }
        md.append('\n').append(SummaryTable.runs(m.fixed().runs())).append('\n');
        md.append(SummaryTable.byDifficulty(m.fixed().runs())).append('\n');
    }

    private int trainCount(String task) {
        return (int) r.mixed().table().rows().getFirst().choices().stream().filter(c -> c.cell().task().equals(task))
                .mapToInt(RoutingLearner.Choice::questions).sum();
    }

    private String chosen(TaskStudy.Routed x) {
        java.util.Map<String, Integer> count = new java.util.TreeMap<>();
        for (RoutingLearner.Row row : r.mixed().table().rows()) {
            if (row.budget() != x.budget()) {
                continue;
            }
            for (io.ttsmesh.mesh.questions.Question q : r.mixed().questions()) {
                count.merge(q.task() + " " + q.difficultyLabel() + " -> " + r.mixed().table().route(row.budget(), q).name(),
                        1, Integer::sum);
            }
        }
        return count.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "));
    }

    // ------------------------------------------------------------------ helpers

    /** "ahead" / "behind" when the 95% interval excludes zero, else "no significant difference". */
    static String verdict(Comparison c, String who) {
        if (c.accuracyDifference().low() > 0) {
            return "**" + who + " ahead**";
        }
        if (c.accuracyDifference().high() < 0) {
            return "**" + who + " behind**";
        }
        return "no significant difference";
    }

    private static String cell(Summaries s, String run) {
        return s.run(run).map(x -> String.format(Locale.ROOT, "%.3f [%.3f, %.3f], %.0f tok", x.accuracy().estimate(),
                x.accuracy().low(), x.accuracy().high(), x.meanTokens())).orElse("-");
    }

    private static String difference(Summaries s, String run, String baseline) {
        List<QuestionResult> a = s.results().get(run);
        List<QuestionResult> b = s.results().get(baseline);
        if (a == null || b == null || a.isEmpty() || b.isEmpty()) {
            return "-";
        }
        Comparison c = Comparison.of(run, a, baseline, b, PAIRED);
        return String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]", 100 * c.accuracyDifference().estimate(),
                100 * c.accuracyDifference().low(), 100 * c.accuracyDifference().high());
    }
}
