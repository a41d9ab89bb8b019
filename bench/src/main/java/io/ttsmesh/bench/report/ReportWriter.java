package io.ttsmesh.bench.report;

import io.ttsmesh.bench.eval.optimal.TableLearner;
import io.ttsmesh.bench.eval.plots.AccuracyByDifficultyChart;
import io.ttsmesh.bench.eval.plots.AccuracyVsTokensChart;
import io.ttsmesh.bench.eval.plots.PolicySavingsChart;
import io.ttsmesh.bench.eval.questions.StratifiedSubset;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.bench.eval.stats.Bootstrap;
import io.ttsmesh.bench.eval.stats.Comparison;
import io.ttsmesh.bench.eval.stats.RunSummary;
import io.ttsmesh.bench.eval.summary.Summaries;
import io.ttsmesh.bench.eval.summary.SummaryTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Writes bench/REPORT.md and its charts from the report's results. Every verdict in it is computed from the
 * numbers it shows; the prose around them only says what was measured and how.
 */
final class ReportWriter {

    private static final Bootstrap PAIRED = new Bootstrap(2000, 1);
    /** Below this accuracy a comparison says nothing (the provisional models). */
    private static final double VACUOUS = 0.05;
    /** Strategies whose runs make the main accuracy-vs-tokens curves, in the order of the legend. */
    private final ReportData d;
    /** The chart folder as the report links it (relative to the report's folder). */
    private String charts = "report";

    ReportWriter(ReportData data) {
        this.d = data;
    }

    void write(Path reportFile, Path chartDir) {
        charts = reportFile.toAbsolutePath().normalize().getParent().relativize(chartDir.toAbsolutePath().normalize())
                .toString().replace('\\', '/');
        List<RunSummary> grid = runs(d.subset(), d.groups().strategies());
        List<RunSummary> optimal = runs(d.subset(), d.groups().optimal());
        List<RunSummary> budgets = runs(d.subset(), d.groups().budgets());
        List<RunSummary> withOptimal = new ArrayList<>(grid);
        withOptimal.addAll(optimal);
        String models = d.models().provisional() ? " (PROVISIONAL models)" : "";
        AccuracyVsTokensChart.write("Accuracy vs tokens, held-out subset" + models, withOptimal,
                chartDir.resolve("accuracy-vs-tokens.png"));
        List<RunSummary> at16 = grid.stream().filter(r -> "16".equals(r.run().point())).toList();
        AccuracyByDifficultyChart.write("Accuracy by difficulty at N = 16, held-out subset" + models, at16,
                chartDir.resolve("accuracy-by-difficulty.png"));
        List<Comparison> policies = d.subset().comparisons().stream()
                .filter(c -> d.groups().policies().contains(c.run())).toList();
        PolicySavingsChart.write("Tokens saved by each policy vs its N = 16 baseline, held-out subset" + models, policies,
                chartDir.resolve("policy-savings.png"));
        List<RunSummary> budgetChart = new ArrayList<>(budgets);
        grid.stream().filter(r -> r.run().curve().equals("best_of_n") || r.run().curve().equals("beam_search"))
                .forEach(budgetChart::add);
        AccuracyVsTokensChart.write("Equal token budgets (300, 600, 1200): rollover vs beam vs best-of-N" + models,
                budgetChart, chartDir.resolve("equal-budgets.png"));

        TaskSections tasks = d.tasks() == null ? null : new TaskSections(d.tasks(), charts);
        if (tasks != null) {
            tasks.writeCharts(chartDir, models + (d.tasks().countdownModels().provisional() ? " (PROVISIONAL Countdown models)" : ""));
        }

        StringBuilder md = new StringBuilder();
        header(md);
        summary(md, grid, optimal, budgets);
        if (tasks != null) {
            md.setLength(md.length() - 1); // one list with the arithmetic bullets
            tasks.summaryBullets().forEach(b -> md.append("- ").append(b).append('\n'));
            md.append('\n');
        }
        StringBuilder arithmetic = new StringBuilder();
        baselineSection(arithmetic);
        gridSection(arithmetic, grid, at16);
        policySection(arithmetic, policies);
        budgetSection(arithmetic);
        optimalSection(arithmetic, grid, optimal);
        papersSection(arithmetic, grid, policies, optimal);
        if (tasks != null) {
            tasks.ladder(arithmetic, d.tasks().arithmetic(), "## 5. Verifier ladder at N = 8 and 16 (held-out subset)");
        }
        md.append("## Arithmetic (the test bed: models/)\n\n").append(demoted(arithmetic));
        md.append("## Countdown (models/countdown/)\n\n");
        if (tasks == null) {
            md.append("Not run: ").append(d.tasksMissing()).append(". Give the Countdown models (--countdown-models) to add "
                    + "the verifier ladders, the Countdown comparison and the mixed set.\n\n");
        } else {
            ModelInfo cd = d.tasks().countdownModels();
            if (cd.provisional()) {
                md.append("> **PROVISIONAL COUNTDOWN MODELS** (no README.md beside them, or it says PROVISIONAL): these "
                        + "numbers show that the harness works end to end, not how the methods compare.\n\n");
            }
            md.append(String.format(Locale.ROOT, "Models %s (`%s`); per-question results and summaries in `%s`.%n%n",
                    cd.shortId(), cd.root(), d.tasks().countdownResults()));
            StringBuilder countdown = new StringBuilder();
            tasks.ladder(countdown, d.tasks().countdown(), "## 1. Verifier ladder at N = 8 and 16 (held-out subset)");
            tasks.equalTokens(countdown, "## 2. The best guided search against self-consistency and best-of-N by the "
                    + "outcome check, at equal mean tokens");
            md.append(demoted(countdown));
            tasks.mixed(md, "## Both tasks: compute-optimal routing by task and difficulty on a mixed held-out set",
                    List.of("models/eval/heldout.jsonl", "models/countdown/eval/heldout.jsonl"));
        }
        methodSection(md);
        notesSection(md);
        try {
            Files.createDirectories(reportFile.toAbsolutePath().getParent());
            Files.writeString(reportFile, md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + reportFile, e);
        }
    }

    // ------------------------------------------------------------------ sections

    /** One heading level down: the arithmetic sections sit inside the arithmetic part. */
    static String demoted(CharSequence markdown) {
        return markdown.toString().replaceAll("(?m)^(#{2,5}) ", "#$1 ");
    }

    private void header(StringBuilder md) {
        md.append("# tts-mesh benchmark report: accuracy against compute on two tasks (arithmetic, Countdown)\n\n");
        if (d.models().provisional()) {
            md.append("> **PROVISIONAL MODELS.** This report was generated with the provisional, deliberately undertrained "
                    + "test-bed export (models/README.md says so). Its numbers show that the harness works end to end, "
                    + "not how the strategies compare: regenerate it with the final models (command below).\n\n");
        }
        md.append("Regenerate (in-process, resumable; the results of finished searches are kept across interruptions):\n\n```\n")
                .append("./mvnw -B -q -pl bench -am package -DskipTests\n").append(d.command()).append("\n```\n\n");
        md.append(String.format(Locale.ROOT, "Generated %s with models %s. This run took **%.1f minutes wall clock and "
                        + "%.1f CPU-minutes** (this process) on %d cores, under a mean 1-minute load average of %.1f "
                        + "(max %.1f): the machine was shared with other work. Spread over %d idle cores, that CPU time is "
                        + "about %.0f minutes of wall clock. A rerun only does what is missing, so a resumed run reports "
                        + "the time of its last part.\n\n",
                LocalDate.now(ZoneOffset.UTC), d.models().shortId(), d.wallSeconds() / 60, d.cpuSeconds() / 60, d.cores(),
                d.meanLoad(), d.maxLoad(), d.cores(), d.cpuSeconds() / 60 / d.cores()));
        if (d.span() != null) {
            md.append(String.format(Locale.ROOT, "The searches' results were written from %s to %s UTC: **%.1f minutes** "
                            + "from the first finished search to the last, on %d cores (this counts the searches only, not "
                            + "the model loading of about 10 seconds; when the report ran in one go, it is the report's "
                            + "time).%n%n", d.span().first().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                    d.span().last().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), d.span().minutes(), d.cores()));
        }
        md.append(String.format(Locale.ROOT, "Questions: a stratified subset of **%d** held-out questions (%s; the first "
                        + "of each difficulty in file order) for the grid of strategies and policies; a larger stratified subset "
                        + "of **%d** held-out questions (it contains the grid's) for the training script's baselines and the two chosen policies; **%d** questions of "
                        + "models/eval/train-split.jsonl (%s) to learn the compute-optimal table and choose policy settings. "
                        + "Nothing is tuned on held-out questions. Per-question results: `%s`.\n\n",
                d.heldoutSubset().size(), StratifiedSubset.counts(d.heldoutSubset()), d.heldoutQuestions(),
                d.trainQuestions().size(), StratifiedSubset.counts(d.trainQuestions()), d.results()));
    }

    private void summary(StringBuilder md, List<RunSummary> grid, List<RunSummary> optimal, List<RunSummary> budgets) {
        md.append("## Summary\n\n");
        for (BaselineCheck.Row row : d.baseline().compare(d.full().runs(), 0.03)) {
            md.append(String.format(Locale.ROOT, "- Baseline reproduction (issue 7): %s %.3f vs the training script's %s %s: %s.%n",
                    row.run(), row.ours(), row.metric(), row.script() == null ? "n/a" : fmt(row.script()),
                    row.within() ? "within 3 points" : "**not** within 3 points"));
        }
        for (PolicyChoice c : List.of(d.goalA(), d.goalB())) {
            Optional<Comparison> full = d.full().comparison(c.chosen().run());
            double target = c.goal().equals("a") ? 0.5 : 0.4;
            full.ifPresent(f -> md.append(String.format(Locale.ROOT, "- Goal (%s): %s on the baseline subset: accuracy "
                            + "%+.1f points vs %s with %.0f%% of its tokens: %s.%n", c.goal(), f.run(),
                    100 * f.accuracyDifference().estimate(), f.baseline(), 100 * f.tokenRatio(),
                    verdict(f, target))));
        }
        List<String> budgetVerdicts = budgetVerdicts(budgets);
        md.append("- Goal (c): rollover vs beam search and best-of-N at equal budgets: ")
                .append(String.join("; ", budgetVerdicts)).append(".\n");
        md.append("- Goal (d): ").append(optimalVerdict(grid, optimal)).append("\n\n");
    }

    private void baselineSection(StringBuilder md) {
        BaselineCheck.Script s = d.baseline().script();
        md.append("## 1. Baseline reproduction (issue 7), baseline subset of the held-out set\n\n");
        md.append(String.format(Locale.ROOT, "The training script (`%s`) sampled %d solutions per question at temperature "
                        + "%.1f and graded three selection rules over them. The same rules as strategies of the mesh, at N = %d, "
                        + "through SearchRunner in-process:%n%n", s.command(), s.samplesPerQuestion(), s.temperature(),
                s.samplesPerQuestion()));
        md.append("| strategy | questions | accuracy (95% CI) | script metric | script value (questions) | difference | within 3 points |\n");
        md.append("|---|---:|---|---|---:|---:|---|\n");
        for (BaselineCheck.Row row : d.baseline().compare(d.full().runs(), 0.03)) {
            RunSummary r = d.full().run(row.run()).orElseThrow();
            md.append(String.format(Locale.ROOT, "| %s | %d | %.3f [%.3f, %.3f] | %s | %s (%d) | %s | %s |%n", row.run(),
                    r.questions(), r.accuracy().estimate(), r.accuracy().low(), r.accuracy().high(), row.metric(),
                    row.script() == null ? "n/a" : fmt(row.script()), row.scriptQuestions(),
                    row.script() == null ? "n/a" : String.format(Locale.ROOT, "%+.1f", 100 * (row.ours() - row.script())),
                    row.within() ? "yes" : "**no**"));
        }
        md.append("\nThe script graded all of its held-out questions; this check grades a stratified subset with the same "
                + "difficulty mix (a quarter per difficulty), so its sampling noise is wider (the interval above). "
                + "Differences in method: the script samples up to 120 new tokens per solution, the mesh up to 256 (the "
                + "test bed's context); the script's random streams are its own (PyTorch), ours are the generator's seeded "
                + "per-branch streams; both read the answer with the same grader rules and select with the last-step PRM "
                + "score. Only sampling noise should separate the two (the 95% interval above is that noise).\n\n");
    }

    private void gridSection(StringBuilder md, List<RunSummary> grid, List<RunSummary> at16) {
        md.append("## 2. Every strategy at N = 1, 4, 8, 16, 32 (held-out subset)\n\n");
        md.append("![accuracy vs tokens](" + charts + "/accuracy-vs-tokens.png)\n\n");
        md.append("N is the number of samples (best-of-N, self-consistency, first-finish), beams (beam search, DVTS: N/4 "
                + "subtrees or beams of width 4; width 1 at N = 1), particles (particle filtering), expansions of k = 4 "
                + "next steps (best-first) or MCTS iterations with k = 4. Tokens are generated tokens per question (what "
                + "the budget bounds); the budget (40,000 tokens, 20,000 verifier calls) never binds here, so N alone sets "
                + "the compute. The compute_optimal curve is section 3 (d).\n\n");
        md.append(SummaryTable.runs(grid)).append('\n');
        md.append("### Accuracy by difficulty (N = 16)\n\n![accuracy by difficulty](" + charts + "/accuracy-by-difficulty.png)\n\n");
        md.append(SummaryTable.byDifficulty(at16)).append('\n');
    }

    private void policySection(StringBuilder md, List<Comparison> policies) {
        md.append("## 3. Budget-aware policies (issue 8)\n\n");
        md.append("Every policy runs over an N = 16 baseline with the same seeds, so a policy and its baseline draw the same "
                + "samples until the policy intervenes: the accuracy difference is paired per question, and its interval "
                + "is much tighter than either run's own.\n\n");
        md.append("### Settings chosen on the training split\n\n");
        md.append(String.format(Locale.ROOT, "For each goal, the setting with the fewest tokens among those within %.0f point "
                        + "of the baseline's accuracy on the %d training questions (when none is, the closest in accuracy). "
                        + "Goal (a) may use any pruning or early-exit policy, goal (b) consensus, adaptive consistency or "
                        + "DeepConf.%n%n", 100 * ReportCommand.MAX_LOSS, d.trainQuestions().size()));
        md.append(SummaryTable.comparisons(d.trainSummaries().comparisons())).append('\n');
        md.append(String.format(Locale.ROOT, "Chosen: **(a) %s**%s, **(b) %s**%s.%n%n", d.goalA().chosen().run(),
                d.goalA().withinLossOnTrain() ? "" : " (none stayed within 1 point on the training split)",
                d.goalB().chosen().run(), d.goalB().withinLossOnTrain() ? "" : " (none stayed within 1 point on the training split)"));
        md.append("### Goals (a) and (b) on the baseline subset of the held-out set\n\n");
        List<Comparison> full = new ArrayList<>();
        for (PolicyChoice c : List.of(d.goalA(), d.goalB())) {
            d.full().comparison(c.chosen().run()).ifPresent(full::add);
        }
        md.append(SummaryTable.comparisons(full)).append('\n');
        for (PolicyChoice c : List.of(d.goalA(), d.goalB())) {
            double target = c.goal().equals("a") ? 0.5 : 0.4;
            d.full().comparison(c.chosen().run()).ifPresent(f -> md.append(String.format(Locale.ROOT,
                    "- (%s) %s: goal = within 1 point of %s with at most %.0f%% of its tokens. Measured %+.1f points "
                            + "(95%% CI %+.1f to %+.1f) with %.0f%% of the tokens: %s.%n", c.goal(), f.run(), f.baseline(),
                    100 * target, 100 * f.accuracyDifference().estimate(), 100 * f.accuracyDifference().low(),
                    100 * f.accuracyDifference().high(), 100 * f.tokenRatio(), verdict(f, target))));
        }
        md.append("\n### Every policy (held-out subset)\n\n![policy savings](" + charts + "/policy-savings.png)\n\n");
        md.append(SummaryTable.comparisons(policies)).append('\n');
        md.append(SummaryTable.runs(runs(d.subset(), d.groups().policies()))).append('\n');
    }

    private void budgetSection(StringBuilder md) {
        md.append("### (c) Rollover budget forcing at equal token budgets (held-out subset)\n\n");
        md.append("Each method gets the same hard budget per question (max_tokens 300, 600, 1200). Best-of-N must reserve "
                + "a whole solution's worth of tokens per sample up front (else the budget cuts every sample short), so it "
                + "runs N = budget / 100; beam search runs N = 4, 8, 16 (width 4); rollover drives 4 branches and splits "
                + "the budget over their expected 5 steps, carrying what a step leaves to the next. Sizes are fixed by the "
                + "test bed's solution lengths, not tuned. The chart also shows the unbudgeted best-of-N and beam search curves of section 2 "
                + "for reference.\n\n![equal budgets](" + charts + "/equal-budgets.png)\n\n");
        md.append("| budget | rollover | best-of-N | beam search | rollover at least as accurate as both |\n|---:|---|---|---|---|\n");
        for (long budget : new long[] {300, 600, 1200}) {
            Optional<RunSummary> r = d.subset().run("rollover@" + budget);
            Optional<RunSummary> bon = d.subset().run("best_of_n-budget@" + budget);
            Optional<RunSummary> beam = d.subset().run("beam_search-budget@" + budget);
            if (r.isEmpty() || bon.isEmpty() || beam.isEmpty()) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s |%n", budget, cell(r.get()), cell(bon.get()),
                    cell(beam.get()), atLeast(r.get(), bon.get(), beam.get())));
        }
        md.append("\nCells: accuracy (95% CI), mean generated tokens. Under the same hard budget the methods spend "
                + "different amounts (best-of-N reserves a whole solution per sample and leaves the rest unused), so the "
                + "table below also puts rollover against the best-of-N and beam search curves of section 2 at the "
                + "tokens rollover actually spent (interpolated), and gives the paired differences at equal budget:\n\n");
        md.append("| rollover run | mean tokens | accuracy | vs best-of-N, equal budget (points, 95% CI) "
                + "| vs beam search, equal budget (points, 95% CI) | best-of-N curve at equal spend | beam search curve at equal spend |\n");
        md.append("|---|---:|---:|---|---|---:|---:|\n");
        List<Curve> curves = curves(runs(d.subset(), d.groups().strategies()));
        Curve bonCurve = curves.stream().filter(c -> c.name().equals("best_of_n")).findFirst().orElse(null);
        Curve beamCurve = curves.stream().filter(c -> c.name().equals("beam_search")).findFirst().orElse(null);
        for (long budget : new long[] {300, 600, 1200}) {
            Optional<RunSummary> r = d.subset().run("rollover@" + budget);
            if (r.isEmpty()) {
                continue;
            }
            double t = r.get().meanTokens();
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.3f | %s | %s | %s | %s |%n", r.get().run().name(), t,
                    r.get().accuracy().estimate(), difference("rollover@" + budget, "best_of_n-budget@" + budget),
                    difference("rollover@" + budget, "beam_search-budget@" + budget), at(bonCurve, t), at(beamCurve, t)));
        }
        md.append('\n');
    }

    private String difference(String run, String other) {
        return paired(run, other).map(c -> String.format(Locale.ROOT, "%+.1f [%+.1f, %+.1f]",
                100 * c.accuracyDifference().estimate(), 100 * c.accuracyDifference().low(),
                100 * c.accuracyDifference().high())).orElse("-");
    }

    private static String at(Curve curve, double tokens) {
        if (curve == null) {
            return "-";
        }
        double a = curve.accuracyAt(tokens);
        return Double.isNaN(a) ? "-" : fmt(a);
    }

    private void optimalSection(StringBuilder md, List<RunSummary> grid, List<RunSummary> optimal) {
        TableLearner.Learned l = d.learned();
        md.append("### (d) Compute-optimal selection\n\n");
        md.append(String.format(Locale.ROOT, "The table `%s` (format `tts-mesh/compute-optimal-table` version 1, read by "
                        + "ComputeOptimalTable) was learned on the training split: each question's difficulty estimate is "
                        + "what the compute_optimal policy computes at run time (the mean last-step PRM score of 4 samples), "
                        + "bins are quartiles of the estimate (upper edges %s), and each (budget, bin) cell names the most "
                        + "accurate candidate (best-of-N, weighted best-of-N, self-consistency at N = 1-16; beam search, DVTS, "
                        + "particle filtering at N = 4-16) whose 4 difficulty samples plus own tokens fit the budget on 90%% of "
                        + "the bin's training questions. The policy reuses the 4 samples as votes.%n%n", d.tableFile(),
                java.util.Arrays.stream(l.edges()).mapToObj(ReportWriter::fmt).collect(Collectors.joining(", "))));
        md.append("| budget | bin (estimate up to) | training questions | chosen | training accuracy | training tokens (incl. samples) |\n");
        md.append("|---:|---|---:|---|---:|---:|\n");
        for (Map.Entry<Long, List<TableLearner.Cell>> e : l.cells().entrySet()) {
            for (TableLearner.Cell c : e.getValue()) {
                md.append(String.format(Locale.ROOT, "| %d | %d (%s) | %d | %s%s | %.3f | %.0f |%n", e.getKey(), c.bin(),
                        fmt(c.maxEstimate()), c.questions(), c.chosen(), c.fits() ? "" : " (nothing fit: cheapest)",
                        c.accuracy(), c.meanTokens()));
            }
        }
        md.append("\nOn the held-out subset, each compute_optimal run against every fixed strategy's curve at the same mean "
                + "tokens (interpolated in log tokens between the strategy's two nearest N; blank where the curve does not "
                + "reach that many tokens):\n\n");
        List<Curve> curves = curves(grid);
        md.append("| run | mean tokens | accuracy | ");
        curves.forEach(c -> md.append(c.name()).append(" | "));
        md.append("best fixed | margin |\n|---|---:|---:|");
        curves.forEach(c -> md.append("---:|"));
        md.append("---|---:|\n");
        for (RunSummary o : optimal) {
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.3f | ", o.run().name(), o.meanTokens(), o.accuracy().estimate()));
            String bestName = null;
            double best = Double.NEGATIVE_INFINITY;
            for (Curve c : curves) {
                double a = c.accuracyAt(o.meanTokens());
                md.append(Double.isNaN(a) ? " | " : fmt(a) + " | ");
                if (!Double.isNaN(a) && a > best) {
                    best = a;
                    bestName = c.name();
                }
            }
            md.append(bestName == null ? "- | - |\n" : String.format(Locale.ROOT, "%s %.3f | %+.1f |%n", bestName, best,
                    100 * (o.accuracy().estimate() - best)));
        }
        md.append("\nWhat it chose on the held-out questions:\n\n");
        for (RunSummary o : optimal) {
            md.append("- ").append(o.run().name()).append(": ").append(o.chosen().entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "))).append('\n');
        }
        md.append('\n');
    }

    private void papersSection(StringBuilder md, List<RunSummary> grid, List<Comparison> policies, List<RunSummary> optimal) {
        md.append("## 4. What the papers report, and what this test bed says\n\n");
        md.append("Paired differences below are over the same held-out subset questions (95% bootstrap interval); with ")
                .append(d.heldoutSubset().size()).append(" questions, differences within a few points are noise.\n\n");
        // Puri et al.: particle filtering vs beam search at small budgets.
        md.append("**Particle filtering vs beam search at small budgets** (Puri et al. 2025 report a 4-16x better scaling "
                + "rate than deterministic search, and Qwen2.5-Math-1.5B passing GPT-4o with 4 rollouts). Here: ");
        md.append(pairVerdicts("particle_filter", "beam_search", List.of("4", "8"))).append(' ');
        md.append(equalTokenNote("particle_filter", "beam_search", grid)).append("\n\n");
        // search-and-learn: DVTS vs beam at large N.
        md.append("**DVTS vs beam search as N grows** (the search-and-learn study: beam search leads at small budgets, "
                + "DVTS overtakes it at large N through diversity). Here, small N: ");
        md.append(pairVerdicts("dvts", "beam_search", List.of("4", "8"))).append(" Large N: ");
        md.append(pairVerdicts("dvts", "beam_search", List.of("16", "32"))).append("\n\n");
        // DeepConf and Dynasor: savings.
        md.append("**Savings of confidence and consensus exits** (DeepConf: up to 84.7% fewer tokens than full parallel "
                + "thinking at 512 traces on AIME 2025 with no loss; Dynasor/Certaindex: up to about 50% compute saved). ");
        md.append(savingsNote(policies)).append("\n\n");
        // Snell et al.
        md.append("**Compute-optimal vs fixed strategies** (Snell et al. 2024: choosing the strategy per difficulty beats "
                + "best-of-N with over 4x less compute). ").append(snellNote(grid, optimal)).append("\n\n");
    }

    private void methodSection(StringBuilder md) {
        md.append("## How these numbers were made\n\n");
        md.append("- Every search runs through the search module's SearchRunner over the in-process generator and verifier "
                + "engines (library mode), up to 64 searches at once on virtual threads; the generator decodes all their "
                + "branches in one batch.\n");
        md.append("- Grading: each question's task grades the one solution its search chose (Task.grade: arithmetic "
                + "compares the stated answer with the reference, canonicalized; Countdown checks every line and that the "
                + "target is reached). The grader never chooses among candidates. The oracle verifier (which solves the "
                + "question) appears only in runs labelled \"upper bound, not a method\"; no pass@k selection appears "
                + "anywhere in this report.\n");
        md.append("- Seeds: each search's seed derives from the base seed and the question id (and a run's seed key, the "
                + "same for all runs here): every run draws the same random streams for a question, so differences between "
                + "runs are the methods', and paired intervals are tight.\n");
        md.append("- Accuracy intervals: percentile bootstrap over questions (2,000 resamples); differences: paired "
                + "bootstrap. Latency is per search as the harness saw it, with up to 63 other searches sharing the two "
                + "cores, so it measures contention as much as the method; orchestration overhead through the mesh is "
                + "benchmarked separately.\n");
        md.append("- Tokens: generated tokens (what Budget.max_tokens bounds, probes included); prefill is reported beside "
                + "them. Verifier calls: candidates scored.\n");
        md.append("- Per-run summaries (tables and charts of each phase): `").append(d.results())
                .append("/{train,heldout-subset,heldout-baseline,ladder,mixed}/summary.md`")
                .append(d.tasks() == null ? "" : " and `" + d.tasks().countdownResults() + "/{train,ladder}/summary.md`")
                .append(".\n");
    }

    /**
     * The reading of the numbers that a program cannot write (why a goal was missed on this test bed), kept in a
     * committed file beside the report's configs and marked as written by hand: it is checked against the numbers
     * above by whoever regenerates the report, not computed from them.
     */
    private void notesSection(StringBuilder md) {
        if (d.notes() == null || !Files.isRegularFile(d.notes())) {
            return;
        }
        try {
            md.append("## Reading these results (written by hand, `").append(d.notes()).append("`)\n\n")
                    .append(Files.readString(d.notes()).strip()).append("\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + d.notes(), e);
        }
    }

    // ------------------------------------------------------------------ verdict helpers

    private static String verdict(Comparison c, double targetRatio) {
        if (c.baselineAccuracy() < VACUOUS) {
            return "vacuous (the baseline answers almost nothing correctly, so there is no accuracy to keep)";
        }
        boolean accuracy = c.accuracyDifference().estimate() >= -0.01 - 1e-12;
        boolean tokens = c.tokenRatio() <= targetRatio + 1e-12;
        if (accuracy && tokens) {
            return "**met**";
        }
        List<String> missed = new ArrayList<>();
        if (!accuracy) {
            missed.add(String.format(Locale.ROOT, "accuracy %.1f points below", -100 * c.accuracyDifference().estimate()));
        }
        if (!tokens) {
            missed.add(String.format(Locale.ROOT, "%.0f%% of the tokens instead of %.0f%%", 100 * c.tokenRatio(), 100 * targetRatio));
        }
        return "**not met** (" + String.join(", ", missed) + ")";
    }

    private List<String> budgetVerdicts(List<RunSummary> budgets) {
        List<String> out = new ArrayList<>();
        for (long budget : new long[] {300, 600, 1200}) {
            Optional<RunSummary> r = d.subset().run("rollover@" + budget);
            Optional<RunSummary> bon = d.subset().run("best_of_n-budget@" + budget);
            Optional<RunSummary> beam = d.subset().run("beam_search-budget@" + budget);
            if (r.isPresent() && bon.isPresent() && beam.isPresent()) {
                out.add(String.format(Locale.ROOT, "%d tokens: %.3f vs %.3f / %.3f (%s)", budget, r.get().accuracy().estimate(),
                        beam.get().accuracy().estimate(), bon.get().accuracy().estimate(),
                        atLeast(r.get(), bon.get(), beam.get())));
            }
        }
        return out;
    }

    private static String atLeast(RunSummary rollover, RunSummary bon, RunSummary beam) {
        double r = rollover.accuracy().estimate();
        if (Math.max(r, Math.max(bon.accuracy().estimate(), beam.accuracy().estimate())) < VACUOUS) {
            return "vacuous (all at chance)";
        }
        return r >= bon.accuracy().estimate() && r >= beam.accuracy().estimate() ? "yes" : "**no**";
    }

    private String optimalVerdict(List<RunSummary> grid, List<RunSummary> optimal) {
        List<Curve> curves = curves(grid);
        List<String> parts = new ArrayList<>();
        int beats = 0;
        int compared = 0;
        for (RunSummary o : optimal) {
            double best = Double.NEGATIVE_INFINITY;
            String bestName = null;
            for (Curve c : curves) {
                double a = c.accuracyAt(o.meanTokens());
                if (!Double.isNaN(a) && a > best) {
                    best = a;
                    bestName = c.name();
                }
            }
            if (bestName == null) {
                continue;
            }
            compared++;
            if (o.accuracy().estimate() > best) {
                beats++;
            }
            parts.add(String.format(Locale.ROOT, "%s %.3f at %.0f tokens vs best fixed %s %.3f (%+.1f points)", o.run().name(),
                    o.accuracy().estimate(), o.meanTokens(), bestName, best, 100 * (o.accuracy().estimate() - best)));
        }
        if (compared == 0) {
            return "compute_optimal has no point inside the fixed strategies' token range.";
        }
        return String.format(Locale.ROOT, "compute_optimal beats every fixed strategy at equal mean tokens at %d of %d "
                + "budgets (%s).", beats, compared, String.join("; ", parts));
    }

    private String pairVerdicts(String a, String b, List<String> points) {
        List<String> out = new ArrayList<>();
        int wins = 0;
        for (String n : points) {
            Optional<Comparison> c = paired(a + "@" + n, b + "@" + n);
            if (c.isEmpty()) {
                continue;
            }
            Comparison x = c.get();
            if (x.accuracyDifference().estimate() > 0) {
                wins++;
            }
            out.add(String.format(Locale.ROOT, "at N = %s %s %.3f vs %s %.3f (%+.1f points, 95%% CI %+.1f to %+.1f; tokens %.0f vs %.0f)",
                    n, a, x.accuracy(), b, x.baselineAccuracy(), 100 * x.accuracyDifference().estimate(),
                    100 * x.accuracyDifference().low(), 100 * x.accuracyDifference().high(), x.meanTokens(),
                    x.baselineMeanTokens()));
        }
        if (out.isEmpty()) {
            return "not measured.";
        }
        String verdict = wins == out.size() ? a + " ahead at every N shown"
                : wins == 0 ? a + " not ahead at any N shown" : a + " ahead at " + wins + " of " + out.size() + " N";
        return String.join("; ", out) + ": " + verdict + ".";
    }

    /** The comparison at equal tokens, which is what a scaling-rate claim is about. */
    private String equalTokenNote(String a, String b, List<RunSummary> grid) {
        Curve ca = curves(grid).stream().filter(c -> c.name().equals(a)).findFirst().orElse(null);
        Curve cb = curves(grid).stream().filter(c -> c.name().equals(b)).findFirst().orElse(null);
        if (ca == null || cb == null) {
            return "";
        }
        List<String> out = new ArrayList<>();
        for (Curve.Point p : ca.points()) {
            double other = cb.accuracyAt(p.tokens());
            if (!Double.isNaN(other)) {
                out.add(String.format(Locale.ROOT, "%.0f tokens: %.3f vs %.3f", p.tokens(), p.accuracy(), other));
            }
        }
        return out.isEmpty() ? "" : "At equal tokens (" + b + " interpolated): " + String.join("; ", out) + ".";
    }

    private String savingsNote(List<Comparison> policies) {
        List<String> out = new ArrayList<>();
        for (Comparison c : policies) {
            if (c.run().contains("deepconf") || c.run().contains("consensus") || c.run().contains("adaptive")
                    || c.run().contains("certainty")) {
                out.add(String.format(Locale.ROOT, "%s %.0f%% saved (%+.1f points)", c.run(), c.tokensSavedPercent(),
                        100 * c.accuracyDifference().estimate()));
            }
        }
        String measured = out.isEmpty() ? "Not measured." : "Here, on the held-out subset: " + String.join("; ", out) + ".";
        return measured + " Our ceiling is lower by construction: at N = 16 an exit that waits for 4 warm-up or first-wave "
                + "samples can save at most 75%, and the test bed's solutions are a few dozen tokens, so there is little "
                + "to cut inside a trace; the savings are comparable to the papers' only in kind (the share of traces "
                + "that need not be finished), not in scale.";
    }

    private String snellNote(List<RunSummary> grid, List<RunSummary> optimal) {
        Curve bon = curves(grid).stream().filter(c -> c.name().equals("best_of_n")).findFirst().orElse(null);
        if (bon == null || optimal.isEmpty()) {
            return "Not measured.";
        }
        List<String> out = new ArrayList<>();
        for (RunSummary o : optimal) {
            double need = bon.tokensFor(o.accuracy().estimate());
            out.add(Double.isNaN(need)
                    ? String.format(Locale.ROOT, "%s reaches %.3f at %.0f tokens, which best-of-N does not reach at N <= 32",
                    o.run().name(), o.accuracy().estimate(), o.meanTokens())
                    : String.format(Locale.ROOT, "%s reaches %.3f at %.0f tokens; best-of-N needs about %.0f (%.1fx)",
                    o.run().name(), o.accuracy().estimate(), o.meanTokens(), need, need / o.meanTokens()));
        }
        return "Here: " + String.join("; ", out) + ". " + optimalVerdict(grid, optimal) + " The table is learned on "
                + d.trainQuestions().size() + " training questions in 4 bins, so each cell rests on about "
                + d.trainQuestions().size() / 4 + " questions: its choices carry that much noise.";
    }

    // ------------------------------------------------------------------ small helpers

    private Optional<Comparison> paired(String run, String baseline) {
        List<QuestionResult> a = d.subset().results().get(run);
        List<QuestionResult> b = d.subset().results().get(baseline);
        if (a == null || b == null || a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Comparison.of(run, a, baseline, b, PAIRED));
    }

    private static List<RunSummary> runs(Summaries s, List<String> names) {
        return s.runs().stream().filter(r -> names.contains(r.run().name())).toList();
    }

    private static List<Curve> curves(List<RunSummary> grid) {
        Map<String, List<RunSummary>> byCurve = new LinkedHashMap<>();
        grid.forEach(r -> byCurve.computeIfAbsent(r.run().curve(), k -> new ArrayList<>()).add(r));
        return byCurve.entrySet().stream().map(e -> Curve.of(e.getKey(), e.getValue())).toList();
    }

    private static String cell(RunSummary r) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f], %.0f tok", r.accuracy().estimate(), r.accuracy().low(),
                r.accuracy().high(), r.meanTokens());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
