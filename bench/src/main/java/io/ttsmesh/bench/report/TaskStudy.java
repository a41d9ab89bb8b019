package io.ttsmesh.bench.report;

import io.ttsmesh.bench.eval.config.ConfigFile;
import io.ttsmesh.bench.eval.config.EvalConfig;
import io.ttsmesh.bench.eval.config.InvalidConfig;
import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.bench.eval.execution.Evaluation;
import io.ttsmesh.bench.eval.execution.Fingerprint;
import io.ttsmesh.bench.eval.optimal.RoutingLearner;
import io.ttsmesh.bench.eval.optimal.RoutingTableFile;
import io.ttsmesh.bench.eval.questions.MixedSet;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.bench.eval.questions.StratifiedSubset;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.bench.eval.results.ResultLog;
import io.ttsmesh.bench.eval.stats.Bootstrap;
import io.ttsmesh.bench.eval.stats.Comparison;
import io.ttsmesh.bench.eval.stats.RunSummary;
import io.ttsmesh.bench.eval.summary.Summaries;
import io.ttsmesh.bench.eval.summary.SummaryFiles;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.routing.RoutedSelector;
import io.ttsmesh.search.settings.RoutingTable;
import io.ttsmesh.task.TaskRegistry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The report's parts about tasks, after the arithmetic grid: the verifier ladder of each task, the Countdown
 * comparison of the best guided search with self-consistency and with best-of-N by the outcome check at equal mean
 * tokens, and the compute-optimal routing table per task and difficulty on a mixed held-out set. Every choice
 * (the guided search compared, the routing table) is made on training questions; held-out questions only measure.
 * Each task's searches go to its own results files ({@code train.jsonl}, {@code heldout.jsonl} in its folder), so a
 * search shared by two parts (same run, same question) runs once.
 */
final class TaskStudy {

    static final String ARITHMETIC = TaskRegistry.DEFAULT;
    static final String COUNTDOWN = "countdown";
    /** The strategies that search step by step under a verifier. */
    static final Set<String> GUIDED = Set.of("beam_search", "dvts", "particle_filter", "best_first", "mcts");
    /** Baselines may be matched to within this share of the compared method's mean tokens. */
    static final double TOKEN_TOLERANCE = 0.10;
    /** The largest N a matched baseline is run at: 64 samples, beams or particles; 32 expansions or iterations. */
    static final int MAX_N = 64;
    static final int MAX_ITERATIONS = 32;

    /**
     * @param arithmeticLadder held-out arithmetic questions of the ladder (stratified; inside the grid's subset, so
     *                         its prm and self-consistency searches are reused)
     * @param countdownLadder held-out Countdown questions of the ladder and the equal-token comparison
     * @param countdownTrain Countdown training questions for the routing table and the choice of the guided search
     * @param mixed questions of the mixed held-out set (half of each task)
     * @param budgets mean generated tokens per question of the routing table's rows
     */
    record Sizes(int arithmeticLadder, int countdownLadder, int countdownTrain, int mixed, List<Long> budgets) {
    }

    /** The questions each part reads from. */
    record Inputs(List<Question> arithmeticTrain, List<Question> arithmeticHeldout, List<Question> countdownTrainAll,
                  List<Question> countdownHeldoutAll) {
    }

    /** One task's ladder on its held-out questions. */
    record Ladder(String task, List<Question> questions, Summaries summaries) {
    }

    /**
     * The Countdown comparison at equal mean tokens.
     *
     * @param choice the guided searches on the training questions (where the compared one was chosen)
     * @param guided the chosen guided search on the held-out questions
     */
    record EqualTokens(List<RunSummary> choice, RunSummary guided, Baseline selfConsistency, Baseline outcomeCheck) {
    }

    /** A baseline matched to the compared method's tokens, and the paired comparison. */
    record Baseline(String family, EqualTokenMatch.Match match, RunSummary summary, Comparison comparison) {
    }

    /**
     * The mixed held-out set: fixed strategies, the routed runs and each routed run against the best fixed one.
     *
     * @param served the learned table in the orchestrator's format, as the routed runs were served with it
     * @param tableFiles where it was written (the first is the one the routed runs read)
     */
    record Mixed(List<Question> questions, RoutingLearner.Table table, RoutingTable served, List<Path> tableFiles,
                 Summaries fixed, List<Routed> routed) {
    }

    /**
     * The served routed run against composing each question's result from the fixed run the learner routes it to (the
     * same request but for its id: same strategy, verifier, budget, sampling and seed).
     *
     * @param sameRoute questions whose served search ran the learner's route (strategy, its given parameters, verifier)
     * @param sameCorrect questions graded alike
     * @param sameTokens questions with the same generated tokens (the same search, token for token)
     */
    record CrossCheck(int questions, int sameRoute, int sameCorrect, int sameTokens, double composedAccuracy,
                      double composedMeanTokens) {
    }

    /**
     * One budget of the routing table on the mixed set.
     *
     * @param bestCurve the fixed strategy whose curve is most accurate at the routed run's mean tokens (interpolated)
     * @param matched that strategy at the N whose mean tokens match the routed run's, with the paired comparison
     */
    record Routed(long budget, RunSummary summary, String bestCurve, double bestCurveAccuracy, Baseline matched,
                  CrossCheck composed) {
    }

    record Result(Ladder arithmetic, Ladder countdown, List<Question> countdownTrain, Summaries countdownTrainSummaries,
                  EqualTokens equalTokens, Mixed mixed, ModelInfo countdownModels, Path countdownResults) {
    }

    private final Evaluation evaluation;
    private final Path configs;
    private final Map<String, Path> resultDirs;
    private final Bootstrap bootstrap;
    private final String command;
    private final List<Path> routingTables;

    /**
     * @param resultDirs each task's results folder
     * @param routingTables where the learned routing table is written, at least one; the routed runs read the first
     */
    TaskStudy(Evaluation evaluation, Path configs, Map<String, Path> resultDirs, Bootstrap bootstrap, String command,
              List<Path> routingTables) {
        this.evaluation = evaluation;
        this.configs = configs;
        this.resultDirs = resultDirs;
        this.bootstrap = bootstrap;
        this.command = command;
        this.routingTables = List.copyOf(routingTables);
        if (this.routingTables.isEmpty()) {
            throw new IllegalArgumentException("the routing table needs a file to be written to");
        }
    }

    Result run(Sizes sizes, Inputs in, ModelInfo countdownModels) throws InterruptedException {
        EvalConfig ladder = ConfigFile.read(configs.resolve("ladder.json"));
        EvalConfig candidates = ConfigFile.read(configs.resolve("router-candidates.json"));
        EvalConfig baselines = ConfigFile.read(configs.resolve("equal-tokens.json"));
        List<RunConfig> shared = new ArrayList<>(ConfigFile.runsOf(configs.resolve("strategies.json")));
        shared.addAll(ConfigFile.runsOf(configs.resolve("candidates.json")));
        shared.addAll(ladder.runs());
        shared.addAll(candidates.runs());
        for (RunConfig template : baselines.runs()) {
            shared.add(atSize(template, "n", 8));
            shared.add(atSize(template, "n", 16));
        }
        sameDefinitions(shared);
        ReportCommand.refuseOverlap(in.countdownTrainAll(), in.countdownHeldoutAll());

        List<Question> arithmeticLadder = StratifiedSubset.of(in.arithmeticHeldout(), sizes.arithmeticLadder());
        List<Question> countdownLadder = StratifiedSubset.of(in.countdownHeldoutAll(), sizes.countdownLadder());
        System.err.printf("4/7 verifier ladder, arithmetic: %d held-out questions %s, %d runs (prm and self-consistency "
                + "runs reuse the grid's searches)%n", arithmeticLadder.size(), StratifiedSubset.counts(arithmeticLadder),
                ladder.runs().size());
        Ladder a = ladder(ARITHMETIC, arithmeticLadder, ladder);
        System.err.printf("4/7 verifier ladder, countdown: %d held-out questions %s, %d runs%n", countdownLadder.size(),
                StratifiedSubset.counts(countdownLadder), ladder.runs().size());
        Ladder c = ladder(COUNTDOWN, countdownLadder, ladder);

        List<Question> countdownTrain = StratifiedSubset.of(in.countdownTrainAll(), sizes.countdownTrain());
        System.err.printf("5/7 routing candidates on the training splits: %d arithmetic %s and %d countdown %s questions, "
                        + "%d runs%n", in.arithmeticTrain().size(), StratifiedSubset.counts(in.arithmeticTrain()),
                countdownTrain.size(), StratifiedSubset.counts(countdownTrain), candidates.runs().size());
        List<QuestionResult> trainResults = new ArrayList<>();
        trainResults.addAll(run("train, arithmetic", jobs(in.arithmeticTrain(), candidates.runs()), "train.jsonl"));
        trainResults.addAll(run("train, countdown", jobs(countdownTrain, candidates.runs()), "train.jsonl"));
        Summaries countdownTrainSummaries = Summaries.of(candidates, ofTask(trainResults, COUNTDOWN), bootstrap);
        SummaryFiles.write(resultDirs.get(COUNTDOWN).resolve("train"), "Countdown training split (" + countdownTrain.size()
                + " questions), routing candidates", countdownTrainSummaries, command);

        System.err.printf("6/7 countdown: best guided search (chosen on the training split) against self-consistency and "
                + "best-of-N by the outcome check at equal tokens, on the %d ladder questions%n", countdownLadder.size());
        EqualTokens equal = equalTokens(countdownTrainSummaries, ladder, c, baselines);

        List<Question> mixed = MixedSet.of(List.of(in.arithmeticHeldout(), in.countdownHeldoutAll()), sizes.mixed());
        System.err.printf("7/7 mixed held-out set: %d questions %s, %d fixed strategies, routing table at budgets %s%n",
                mixed.size(), StratifiedSubset.counts(mixed), candidates.runs().size(), sizes.budgets());
        List<Question> trainQuestions = new ArrayList<>(in.arithmeticTrain());
        trainQuestions.addAll(countdownTrain);
        Mixed m = mixed(mixed, candidates, trainResults, trainQuestions, sizes.budgets());
        return new Result(a, c, countdownTrain, countdownTrainSummaries, equal, m, countdownModels,
                resultDirs.get(COUNTDOWN));
    }

    // ------------------------------------------------------------------ parts

    private Ladder ladder(String task, List<Question> questions, EvalConfig ladder) throws InterruptedException {
        List<QuestionResult> results = run("ladder, " + task, jobs(questions, ladder.runs()), "heldout.jsonl");
        Summaries s = Summaries.of(ladder, results, bootstrap);
        SummaryFiles.write(resultDirs.get(task).resolve("ladder"), "verifier ladder, " + task + " (" + questions.size()
                + " held-out questions)", s, command);
        return new Ladder(task, questions, s);
    }

    private EqualTokens equalTokens(Summaries train, EvalConfig ladder, Ladder countdown, EvalConfig baselines)
            throws InterruptedException {
        List<RunSummary> choice = train.runs().stream().filter(r -> GUIDED.contains(r.run().strategy().name()))
                .filter(r -> ladder.run(r.run().name()).isPresent()).toList();
        if (choice.isEmpty()) {
            throw new InvalidConfig("router-candidates.json has no guided search that ladder.json also runs");
        }
        RunSummary best = choice.stream().max(Comparator.comparingDouble((RunSummary r) -> r.accuracy().estimate())
                .thenComparing(Comparator.comparingDouble(RunSummary::meanTokens).reversed())).orElseThrow();
        RunSummary guided = countdown.summaries().run(best.run().name()).orElseThrow();
        List<QuestionResult> guidedResults = countdown.summaries().results().get(guided.run().name());
        double perSample = countdown.summaries().run("self_consistency@8").map(r -> r.meanTokens() / 8)
                .orElseThrow(() -> new InvalidConfig("ladder.json must run self_consistency@8 (the tokens per sample)"));
        List<Baseline> out = new ArrayList<>();
        for (RunConfig template : baselines.runs()) {
            out.add(matched(template, "n", 1, guided, guidedResults, countdown.questions(), perSample));
        }
        return new EqualTokens(choice, guided, out.get(0), out.get(1));
    }

    private Mixed mixed(List<Question> questions, EvalConfig candidates, List<QuestionResult> trainResults,
                        List<Question> trainQuestions, List<Long> budgets) throws InterruptedException {
        List<QuestionResult> fixedResults = run("mixed, fixed strategies", jobs(questions, candidates.runs()), "heldout.jsonl");
        Summaries fixed = Summaries.of(candidates, fixedResults, bootstrap);
        Map<String, List<QuestionResult>> byRun = new HashMap<>();
        trainResults.forEach(r -> byRun.computeIfAbsent(r.run(), k -> new ArrayList<>()).add(r));
        List<RoutingLearner.Candidate> cands = candidates.runs().stream()
                .map(r -> new RoutingLearner.Candidate(r, byRun.getOrDefault(r.name(), List.of()))).toList();
        Map<String, Double> shares = new LinkedHashMap<>();
        for (Question q : questions) {
            shares.merge(q.task(), 1.0, Double::sum);
        }
        RoutingLearner.Table table = new RoutingLearner().learn(cands, trainQuestions, shares, budgets);
        RoutingTable served = RoutingTableFile.of(table, ROUTING_TABLE_NAME, String.format(java.util.Locale.ROOT,
                "learned by `%s` on the training splits (%s questions), candidates of router-candidates.json; per mean-token "
                        + "budget, an exact multiple-choice knapsack over the (task, difficulty) cells, each task an equal "
                        + "share of the mix", command, StratifiedSubset.counts(trainQuestions)), questions);
        for (Path file : routingTables) {
            RoutingTableFile.write(served, file);
        }
        RunConfig shared = sharedSettings(candidates.runs());

        List<Curve> curves = curves(fixed.runs());
        List<Routed> routed = new ArrayList<>();
        List<RunSummary> routedSummaries = new ArrayList<>();
        Map<String, List<QuestionResult>> allResults = new LinkedHashMap<>(fixed.results());
        for (RoutingLearner.Row row : table.rows()) {
            RunConfig routedRun = routedRun(row.budget(), shared, routingTables.getFirst());
            List<QuestionResult> results = run("mixed, routed at " + row.budget() + " tokens (the routed strategy, served "
                    + "in-process)", jobs(questions, List.of(routedRun)), "heldout.jsonl");
            CrossCheck composed = crossCheck(table, row.budget(), questions, results, fixed.results());
            RunSummary summary = RunSummary.of(routedRun, results, bootstrap);
            routedSummaries.add(summary);
            allResults.put(routedRun.name(), results);
            Curve bestCurve = null;
            double bestAccuracy = Double.NEGATIVE_INFINITY;
            for (Curve curve : curves) {
                double acc = curve.accuracyAt(summary.meanTokens());
                if (!Double.isNaN(acc) && acc > bestAccuracy) {
                    bestAccuracy = acc;
                    bestCurve = curve;
                }
            }
            Baseline matched = null;
            if (bestCurve != null) {
                RunConfig example = candidates.run(bestCurve.points().getFirst().run()).orElseThrow();
                String param = sizeParam(example);
                int step = example.strategy().params().containsKey("width")
                        ? Integer.parseInt(example.strategy().params().get("width")) : 1;
                RunSummary nearest = fixed.run(bestCurve.points().getFirst().run()).orElseThrow();
                double perUnit = nearest.meanTokens() / Double.parseDouble(example.strategy().params().get(param));
                matched = matched(example, param, step, summary, results, questions, perUnit);
            }
            routed.add(new Routed(row.budget(), summary, bestCurve == null ? null : bestCurve.name(),
                    bestCurve == null ? Double.NaN : bestAccuracy, matched, composed));
        }
        List<RunSummary> all = new ArrayList<>(fixed.runs());
        all.addAll(routedSummaries);
        SummaryFiles.write(resultDirs.get(ARITHMETIC).resolve("mixed"), "mixed held-out set (" + questions.size()
                + " questions), fixed strategies and compute-optimal routing", new Summaries(all, List.of(), allResults),
                command);
        return new Mixed(questions, table, served, routingTables, fixed, routed);
    }

    static final String ROUTING_TABLE_NAME = "tasks-v1";

    /**
     * The routed run of one budget row: the strategy {@value RoutedSelector#NAME} with that row's mean tokens, served by
     * the search module with the written table, under the candidates' budget, sampling and seed key, so the search of a
     * question is the one its route's candidate run made (same request but for its id).
     */
    static RunConfig routedRun(long budget, RunConfig shared, Path table) {
        return new RunConfig("routed@" + budget, "compute-optimal routing", Long.toString(budget),
                MethodSpec.of(RoutedSelector.NAME, Map.of(RoutedSelector.MEAN_TOKENS, Long.toString(budget))), List.of(),
                shared.budget(), shared.sampling(), null, null, null, shared.seedKey(), table);
    }

    /** The budget, sampling and seed key every routing candidate shares: a route carries none of them. */
    static RunConfig sharedSettings(List<RunConfig> candidates) {
        RunConfig first = candidates.getFirst();
        for (RunConfig c : candidates) {
            if (!c.budget().equals(first.budget()) || !c.sampling().equals(first.sampling())
                    || !c.seedKey().equals(first.seedKey()) || !c.policies().isEmpty()) {
                throw new InvalidConfig("router-candidates.json: run '" + c.name() + "' differs from '" + first.name()
                        + "' in budget, sampling or seed key, or has policies; a route is a strategy with its verifier "
                        + "and aggregation, so the candidates must share the rest to be served as routes");
            }
        }
        return first;
    }

    /** The served routed results against each question's result in the fixed run the learner routes it to. */
    static CrossCheck crossCheck(RoutingLearner.Table table, long budget, List<Question> questions,
                                 List<QuestionResult> served, Map<String, List<QuestionResult>> fixed) {
        Map<String, QuestionResult> byId = new HashMap<>();
        served.forEach(r -> byId.put(r.id(), r));
        int n = 0;
        int sameRoute = 0;
        int sameCorrect = 0;
        int sameTokens = 0;
        int composedCorrect = 0;
        long composedTokens = 0;
        for (Question q : questions) {
            RunConfig route = table.route(budget, q);
            QuestionResult s = byId.get(q.id());
            QuestionResult c = fixed.getOrDefault(route.name(), List.of()).stream().filter(r -> r.id().equals(q.id()))
                    .findFirst().orElse(null);
            if (s == null || c == null) {
                continue;
            }
            n++;
            sameRoute += ranRoute(s.chosenStrategy(), route) ? 1 : 0;
            sameCorrect += s.correct() == c.correct() ? 1 : 0;
            sameTokens += s.generatedTokens() == c.generatedTokens() ? 1 : 0;
            composedCorrect += c.correct() ? 1 : 0;
            composedTokens += c.generatedTokens();
        }
        return new CrossCheck(n, sameRoute, sameCorrect, sameTokens, n == 0 ? Double.NaN : (double) composedCorrect / n,
                n == 0 ? Double.NaN : (double) composedTokens / n);
    }

    /**
     * Whether a served search ran a route: its chosen strategy as the backend writes it ("beam_search n=8 width=4
     * verifier=rules+prm") names the route's strategy with each parameter the route gives, and its verifier when the
     * route names one.
     */
    static boolean ranRoute(String chosen, RunConfig route) {
        if (chosen == null) {
            return false;
        }
        String[] parts = chosen.split(" ");
        Map<String, String> params = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                params.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
        }
        if (!parts[0].equals(route.strategy().name())) {
            return false;
        }
        for (Map.Entry<String, String> e : route.strategy().params().entrySet()) {
            if (!e.getValue().equals(params.get(e.getKey()))) {
                return false;
            }
        }
        return route.verifier() == null || route.verifier().equals(params.get("verifier"));
    }

    /**
     * A baseline family at the size whose mean tokens match {@code target}'s on the same questions, and the paired
     * comparison of {@code target} with it.
     */
    private Baseline matched(RunConfig template, String param, int step, RunSummary target,
                             List<QuestionResult> targetResults, List<Question> questions, double perUnit)
            throws InterruptedException {
        Map<Integer, List<QuestionResult>> measured = new HashMap<>();
        Map<Integer, RunConfig> runs = new HashMap<>();
        int maxSize = param.equals("n") ? MAX_N : MAX_ITERATIONS;
        EqualTokenMatch.Match match = new EqualTokenMatch(TOKEN_TOLERANCE, 4, maxSize, step).find(target.meanTokens(), perUnit,
                n -> {
                    RunConfig run = atSize(template, param, n);
                    List<QuestionResult> r = run(family(template) + "@" + n + " (matching " + target.run().name() + ")",
                            jobs(questions, List.of(run)), "heldout.jsonl");
                    measured.put(n, r);
                    runs.put(n, run);
                    return r.stream().mapToLong(QuestionResult::generatedTokens).average().orElse(0);
                });
        RunConfig run = runs.get(match.n());
        List<QuestionResult> results = measured.get(match.n());
        return new Baseline(family(template), match, RunSummary.of(run, results, bootstrap),
                Comparison.of(target.run().name(), targetResults, run.name(), results, bootstrap));
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Runs that share a name share their searches (the results files are keyed by run and question), so the report's
     * configs must define them alike: else one part would redo, and so supersede, another part's searches.
     */
    static void sameDefinitions(List<RunConfig> runs) {
        Map<String, RunConfig> byName = new HashMap<>();
        for (RunConfig run : runs) {
            RunConfig before = byName.putIfAbsent(run.name(), run);
            if (before != null && !Fingerprint.of(before, 0, "").equals(Fingerprint.of(run, 0, ""))) {
                throw new InvalidConfig("run '" + run.name() + "' is defined differently in two of the report's configs ("
                        + before.describe() + ", verifier " + before.verifier() + " vs " + run.describe() + ", verifier "
                        + run.verifier() + "); runs of one name share their searches, so their definitions must agree");
            }
        }
    }

    /** Runs jobs, each task's in its own results file {@code file} in that task's folder. */
    private List<QuestionResult> run(String label, List<Evaluation.Job> jobs, String file) throws InterruptedException {
        Map<String, List<Evaluation.Job>> byTask = new LinkedHashMap<>();
        jobs.forEach(j -> byTask.computeIfAbsent(j.question().task(), k -> new ArrayList<>()).add(j));
        List<QuestionResult> out = new ArrayList<>();
        for (Map.Entry<String, List<Evaluation.Job>> e : byTask.entrySet()) {
            Path dir = resultDirs.get(e.getKey());
            if (dir == null) {
                throw new InvalidConfig("no results folder for task " + e.getKey());
            }
            try (ResultLog log = ResultLog.open(dir.resolve(file))) {
                out.addAll(evaluation.run(label + (byTask.size() > 1 ? " (" + e.getKey() + ")" : ""), e.getValue(), log));
            }
        }
        return out;
    }

    static List<Evaluation.Job> jobs(List<Question> questions, List<RunConfig> runs) {
        List<Evaluation.Job> out = new ArrayList<>();
        for (Question q : questions) {
            for (RunConfig r : runs) {
                out.add(new Evaluation.Job(q, r));
            }
        }
        return out;
    }

    private static List<QuestionResult> ofTask(List<QuestionResult> results, String task) {
        return results.stream().filter(r -> r.taskName().equals(task)).toList();
    }

    /** The parameter that sizes a strategy (what N is for it). */
    static String sizeParam(RunConfig run) {
        return switch (run.strategy().name()) {
            case "best_first" -> "max_expansions";
            case "mcts" -> "iterations";
            default -> "n";
        };
    }

    /** The run family's name: the run's name without its "@size". */
    static String family(RunConfig run) {
        int at = run.name().lastIndexOf('@');
        return at < 0 ? run.name() : run.name().substring(0, at);
    }

    /** The run of a family at one size, named as the configs name it ({@code <family>@<size>}). */
    static RunConfig atSize(RunConfig template, String param, int size) {
        Map<String, String> params = new LinkedHashMap<>(template.strategy().params());
        params.put(param, Integer.toString(size));
        return new RunConfig(family(template) + "@" + size, template.curve(), Integer.toString(size),
                MethodSpec.of(template.strategy().name(), params), template.policies(), template.budget(),
                template.sampling(), template.verifier(), template.aggregation(), null, template.seedKey(),
                template.computeOptimalTable());
    }

    static List<Curve> curves(List<RunSummary> runs) {
        Map<String, List<RunSummary>> byCurve = new LinkedHashMap<>();
        runs.forEach(r -> byCurve.computeIfAbsent(r.run().curve(), k -> new ArrayList<>()).add(r));
        return byCurve.entrySet().stream().map(e -> Curve.of(e.getKey(), e.getValue())).toList();
    }
}
