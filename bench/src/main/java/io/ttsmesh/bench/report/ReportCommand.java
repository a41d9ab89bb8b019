package io.ttsmesh.bench.report;

import io.ttsmesh.bench.eval.config.ConfigFile;
import io.ttsmesh.bench.eval.config.EvalConfig;
import io.ttsmesh.bench.eval.config.InvalidConfig;
import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.bench.eval.execution.BackendUnavailable;
import io.ttsmesh.bench.eval.execution.Evaluation;
import io.ttsmesh.bench.eval.execution.InProcessEngines;
import io.ttsmesh.bench.eval.execution.SearchBackend;
import io.ttsmesh.bench.eval.optimal.TableFile;
import io.ttsmesh.bench.eval.optimal.TableLearner;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;
import io.ttsmesh.bench.eval.questions.StratifiedSubset;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.bench.eval.results.ResultLog;
import io.ttsmesh.bench.eval.stats.Bootstrap;
import io.ttsmesh.bench.eval.summary.Summaries;
import io.ttsmesh.bench.eval.summary.SummaryFiles;
import io.ttsmesh.runtime.BundledModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code tts-bench report}: regenerates bench/REPORT.md in one go, in-process on the bundled models.
 * <ol>
 *   <li>Training split (stratified subset): the difficulty probe, the compute-optimal candidates and every policy
 *       setting; the compute-optimal table is learned from these and written; the policy settings for issue 8's
 *       goals (a) and (b) are chosen from these. Nothing is chosen on held-out questions.</li>
 *   <li>Held-out subset (stratified): every strategy at N = 1..32, every policy, the equal-budget comparison and
 *       compute_optimal with the learned table.</li>
 *   <li>A larger stratified held-out subset (containing the grid's): best-of-N, weighted best-of-N and self-consistency at the training script's N (issue 7)
 *       and the two chosen policies (issue 8 a, b).</li>
 *   <li>With the Countdown models ({@link TaskStudy}): the verifier ladder of each task, the routing candidates on
 *       both training splits, the Countdown comparison at equal tokens, and the compute-optimal routing table per task
 *       and difficulty on a mixed held-out set.</li>
 * </ol>
 * Resumable: results go to {@code <work>/<models>/train.jsonl} and {@code heldout.jsonl} (Countdown's to
 * {@code <work>/countdown-<models>/}); a rerun only does what is missing (and redoes runs whose definition changed).
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Regenerates bench/REPORT.md: learns the compute-optimal table and tunes policies on the training "
                + "split, then evaluates every strategy and policy on the held-out set, in-process; with the Countdown "
                + "models also the verifier ladder of both tasks, the Countdown equal-token comparison and the routing "
                + "table per task and difficulty on a mixed held-out set.",
                "Resumable: rerun the same command after an interruption."})
public final class ReportCommand implements Callable<Integer> {

    static final String COMMAND = "java -jar bench/target/tts-bench.jar report";

    @Option(names = "--models", paramLabel = "DIR", description = "models folder (default: the bundled test-bed models)")
    Path models;

    @Option(names = "--heldout-subset", defaultValue = "128",
            description = "held-out questions for the strategy/policy grid, stratified by difficulty (default: ${DEFAULT-VALUE})")
    int heldoutSubset;

    @Option(names = "--train-subset", defaultValue = "48",
            description = "training-split questions for learning the table and tuning policies (default: ${DEFAULT-VALUE})")
    int trainSubset;

    @Option(names = "--baseline-subset", defaultValue = "400",
            description = "held-out questions for the training script's baselines and the two chosen policies, stratified "
                    + "by difficulty; contains the grid's subset (default: ${DEFAULT-VALUE})")
    int baselineSubset;

    @Option(names = "--countdown-models", paramLabel = "DIR",
            description = "the Countdown models (generator/, prm/; default: countdown/ in the models folder); without them the "
                    + "ladder, Countdown and mixed-set parts are left out and the report says so")
    Path countdownModels;

    @Option(names = "--countdown-eval", paramLabel = "DIR",
            description = "the Countdown question files heldout.jsonl and train-split.jsonl (default: countdown/eval in the "
                    + "models folder)")
    Path countdownEval;

    @Option(names = "--arithmetic-ladder-subset", defaultValue = "64",
            description = "held-out arithmetic questions of the verifier ladder, stratified; inside the grid's subset, whose "
                    + "searches it reuses (default: ${DEFAULT-VALUE})")
    int arithmeticLadderSubset;

    @Option(names = "--countdown-ladder-subset", defaultValue = "120",
            description = "held-out Countdown questions of the verifier ladder and the equal-token comparison, stratified "
                    + "(default: ${DEFAULT-VALUE})")
    int countdownLadderSubset;

    @Option(names = "--countdown-train-subset", defaultValue = "64",
            description = "Countdown training questions for the routing table and the choice of the guided search "
                    + "(default: ${DEFAULT-VALUE}); the arithmetic ones are --train-subset's")
    int countdownTrainSubset;

    @Option(names = "--mixed-subset", defaultValue = "100",
            description = "questions of the mixed held-out set, half of each task (default: ${DEFAULT-VALUE})")
    int mixedSubset;

    @Option(names = "--mixed-budgets", defaultValue = "150,300,600,1200", split = ",",
            description = "mean generated tokens per question of the routing table's rows (default: ${DEFAULT-VALUE})")
    List<Long> mixedBudgets;

    @Option(names = "--concurrency", defaultValue = "64", description = "searches in flight (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--seed", defaultValue = "1", description = "base seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--configs", defaultValue = "bench/eval/report", paramLabel = "DIR",
            description = "the report's run configs (default: ${DEFAULT-VALUE})")
    Path configs;

    @Option(names = "--table", defaultValue = "orchestrator-service/search/src/main/resources/compute-optimal/testbed-v1.json", paramLabel = "FILE",
            description = "where the learned compute-optimal table is written (default: ${DEFAULT-VALUE})")
    Path table;

    @Option(names = "--routing-table", defaultValue = "orchestrator-service/search/src/main/resources/routing/tasks-v1.json",
            paramLabel = "FILE", description = "where the learned routing table per task and difficulty is written for the "
            + "orchestrator (tts.orchestrator.search.routing-table), besides routing-table.json in --work; the routed "
            + "runs are served with it (default: ${DEFAULT-VALUE})")
    Path routingTable;

    @Option(names = "--work", defaultValue = "bench/results/report", paramLabel = "DIR",
            description = "the report's charts; per-question results and summaries in a folder per pair of models below it (default: ${DEFAULT-VALUE})")
    Path work;

    @Option(names = "--out", defaultValue = "bench", paramLabel = "DIR",
            description = "REPORT.md goes here (default: ${DEFAULT-VALUE})")
    Path out;

    /** Goal (a) may use any pruning or early-exit policy; goal (b) names its three. */
    static final Set<String> GOAL_A = Set.of("prune", "consensus", "adaptive_consistency", "certainty", "deepconf");
    static final Set<String> GOAL_B = Set.of("consensus", "adaptive_consistency", "deepconf");
    static final double MAX_LOSS = 0.01;

    @Override
    public Integer call() throws Exception {
        Path root = models != null ? models : BundledModels.root();
        ModelInfo modelInfo = ModelInfo.of(root);
        Path results = work.resolve(modelInfo.generatorSha().substring(0, 8) + "-" + modelInfo.prmSha().substring(0, 8));
        Bootstrap bootstrap = new Bootstrap(2000, seed);
        List<Question> trainAll = QuestionFile.read(root.resolve("eval/train-split.jsonl"));
        List<Question> heldoutAll = QuestionFile.read(root.resolve("eval/heldout.jsonl"));
        refuseOverlap(trainAll, heldoutAll);
        List<Question> train = StratifiedSubset.of(trainAll, trainSubset);
        List<Question> heldout = StratifiedSubset.of(heldoutAll, heldoutSubset);
        List<Question> baselineQuestions = StratifiedSubset.of(heldoutAll, Math.max(baselineSubset, heldoutSubset));
        EvalConfig trainConfig;
        EvalConfig heldoutConfig;
        try {
            trainConfig = ConfigFile.read(List.of(configs.resolve("candidates.json"), configs.resolve("policies.json"),
                    configs.resolve("difficulty-probe.json")));
            heldoutConfig = withTable(ConfigFile.read(List.of(configs.resolve("strategies.json"),
                    configs.resolve("policies.json"), configs.resolve("budgets.json"), configs.resolve("compute-optimal.json"))));
        } catch (InvalidConfig e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        BaselineCheck baseline = new BaselineCheck(root.resolve("eval/baseline.json"));
        System.err.printf("models: %s%s; results in %s%n", modelInfo.shortId(), modelInfo.provisional() ? " (PROVISIONAL)" : "",
                results);
        Path countdown = countdownModels != null ? countdownModels : root.resolve("countdown");
        Path countdownQuestions = countdownEval != null ? countdownEval : root.resolve("countdown/eval");
        String tasksMissing = null;
        if (!InProcessEngines.hasModels(countdown)) {
            tasksMissing = "no Countdown models in " + countdown + " (generator/model.onnx, prm/model.onnx)";
        } else if (!java.nio.file.Files.isRegularFile(countdownQuestions.resolve("heldout.jsonl"))
                || !java.nio.file.Files.isRegularFile(countdownQuestions.resolve("train-split.jsonl"))) {
            tasksMissing = "no Countdown question files in " + countdownQuestions + " (heldout.jsonl, train-split.jsonl)";
        }
        if (tasksMissing != null) {
            System.err.println("warning: " + tasksMissing + "; the ladder, Countdown and mixed-set parts are left out");
        }
        try (LoadMonitor load = new LoadMonitor();
             SearchBackend backend = InProcessEngines.backend(root, tasksMissing == null ? countdown : null)) {
            Evaluation evaluation = new Evaluation(backend, new Evaluation.Settings(seed, concurrency, 5, true));

            System.err.printf("1/7 training split: %d questions %s, %d runs%n", train.size(), StratifiedSubset.counts(train),
                    trainConfig.runs().size());
            List<QuestionResult> trainResults;
            try (ResultLog log = ResultLog.open(results.resolve("train.jsonl"))) {
                trainResults = evaluation.run("train", train, trainConfig, log);
            }
            Summaries trainSummaries = Summaries.of(trainConfig, trainResults, bootstrap);
            SummaryFiles.write(results.resolve("train"), "training split (" + train.size() + " questions)", trainSummaries, COMMAND);

            TableLearner.Learned learned = learnTable(trainConfig, trainResults, heldoutConfig, train.size(), modelInfo);
            TableFile.write(learned.table(), table);
            PolicyChoice a = PolicyChoice.choose("a", "weighted_best_of_n@16", GOAL_A, MAX_LOSS, trainConfig,
                    trainSummaries.comparisons()).orElseThrow(() -> new InvalidConfig("policies.json has no run for goal (a)"));
            PolicyChoice b = PolicyChoice.choose("b", "self_consistency@16", GOAL_B, MAX_LOSS, trainConfig,
                    trainSummaries.comparisons()).orElseThrow(() -> new InvalidConfig("policies.json has no run for goal (b)"));
            System.err.printf("table written to %s; chosen on the training split: (a) %s, (b) %s%n", table,
                    a.chosen().run(), b.chosen().run());

            System.err.printf("2/7 held-out subset: %d questions %s, %d runs%n", heldout.size(),
                    StratifiedSubset.counts(heldout), heldoutConfig.runs().size());
            List<QuestionResult> subsetResults;
            List<QuestionResult> fullResults;
            Set<String> fullRuns = new LinkedHashSet<>(baseline.runs());
            fullRuns.add(a.chosen().run());
            fullRuns.add(b.chosen().run());
            EvalConfig fullConfig = heldoutConfig.only(new ArrayList<>(fullRuns));
            try (ResultLog log = ResultLog.open(results.resolve("heldout.jsonl"))) {
                subsetResults = evaluation.run("held-out subset", heldout, heldoutConfig, log);
                System.err.printf("3/7 baseline subset: %d questions %s, runs %s%n", baselineQuestions.size(),
                        StratifiedSubset.counts(baselineQuestions), fullRuns);
                fullResults = evaluation.run("baseline subset", baselineQuestions, fullConfig, log);
            }
            Summaries subset = Summaries.of(heldoutConfig, subsetResults, bootstrap);
            Summaries full = Summaries.of(fullConfig, fullResults, bootstrap);
            SummaryFiles.write(results.resolve("heldout-subset"), "held-out subset (" + heldout.size() + " questions)",
                    subset, COMMAND);
            SummaryFiles.write(results.resolve("heldout-baseline"), "held-out baseline subset (" + baselineQuestions.size() + " questions)",
                    full, COMMAND);

            TaskStudy.Result tasks = null;
            if (tasksMissing == null) {
                ModelInfo countdownInfo = ModelInfo.of(countdown);
                Path countdownResults = work.resolve(TaskStudy.COUNTDOWN + "-" + countdownInfo.generatorSha().substring(0, 8)
                        + "-" + countdownInfo.prmSha().substring(0, 8));
                System.err.printf("countdown models: %s%s; results in %s%n", countdownInfo.shortId(),
                        countdownInfo.provisional() ? " (PROVISIONAL)" : "", countdownResults);
                TaskStudy study = new TaskStudy(evaluation, configs, Map.of(TaskStudy.ARITHMETIC, results,
                        TaskStudy.COUNTDOWN, countdownResults), bootstrap, COMMAND + options(),
                        List.of(work.resolve("routing-table.json"), routingTable));
                tasks = study.run(new TaskStudy.Sizes(arithmeticLadderSubset, countdownLadderSubset, countdownTrainSubset,
                                mixedSubset, mixedBudgets),
                        new TaskStudy.Inputs(train, heldoutAll, QuestionFile.read(countdownQuestions.resolve("train-split.jsonl")),
                                QuestionFile.read(countdownQuestions.resolve("heldout.jsonl"))), countdownInfo);
            }

            ReportData.RunGroups groups = new ReportData.RunGroups(names("strategies.json"), names("policies.json"),
                    names("budgets.json"), names("compute-optimal.json"));
            ReportData data = new ReportData(modelInfo, COMMAND + options(), train, heldout, baselineQuestions.size(), trainConfig,
                    heldoutConfig, groups, trainSummaries, subset, full, learned, table, a, b, baseline, load.wallSeconds(),
                    load.cpuSeconds(), load.meanLoad(), load.maxLoad(), LoadMonitor.cores(), results,
                    ReportData.ResultSpan.of(java.util.stream.Stream.of(trainResults, subsetResults, fullResults)
                            .flatMap(List::stream).toList()), configs.resolve("notes.md"), tasks, tasksMissing);
            new ReportWriter(data).write(out.resolve("REPORT.md"), work);
            System.err.printf("REPORT.md written to %s (%.1f min wall, %.1f min CPU, mean load %.1f on %d cores)%n",
                    out.resolve("REPORT.md"), load.wallSeconds() / 60, load.cpuSeconds() / 60, load.meanLoad(),
                    LoadMonitor.cores());
            return 0;
        } catch (InvalidConfig e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        } catch (BackendUnavailable e) {
            System.err.println("error: " + e.getMessage() + " (results so far are kept; rerun to resume)");
            return 3;
        }
    }

    /** The compute_optimal runs use the table this command learns (--table), whatever their config names. */
    private EvalConfig withTable(EvalConfig config) {
        Path learned = table.toAbsolutePath().normalize();
        return new EvalConfig(config.description(), config.runs().stream().map(r -> !r.hasPolicy("compute_optimal") ? r
                : new RunConfig(r.name(), r.curve(), r.point(), r.strategy(), r.policies(), r.budget(), r.sampling(),
                r.verifier(), r.aggregation(), r.baseline(), r.seedKey(), learned)).toList());
    }

    private List<String> names(String config) {
        return ConfigFile.runsOf(configs.resolve(config)).stream().map(RunConfig::name).toList();
    }

    private String options() {
        StringBuilder sb = new StringBuilder();
        if (heldoutSubset != 128) {
            sb.append(" --heldout-subset ").append(heldoutSubset);
        }
        if (trainSubset != 48) {
            sb.append(" --train-subset ").append(trainSubset);
        }
        if (baselineSubset != 400) {
            sb.append(" --baseline-subset ").append(baselineSubset);
        }
        if (seed != 1) {
            sb.append(" --seed ").append(seed);
        }
        if (arithmeticLadderSubset != 64) {
            sb.append(" --arithmetic-ladder-subset ").append(arithmeticLadderSubset);
        }
        if (countdownLadderSubset != 120) {
            sb.append(" --countdown-ladder-subset ").append(countdownLadderSubset);
        }
        if (countdownTrainSubset != 64) {
            sb.append(" --countdown-train-subset ").append(countdownTrainSubset);
        }
        if (mixedSubset != 100) {
            sb.append(" --mixed-subset ").append(mixedSubset);
        }
        if (!mixedBudgets.equals(List.of(150L, 300L, 600L, 1200L))) {
            sb.append(" --mixed-budgets ").append(String.join(",", mixedBudgets.stream().map(String::valueOf).toList()));
        }
        return sb.toString();
    }

    /** The table is learned on training questions only: a question that is also held out would leak. */
    static void refuseOverlap(List<Question> train, List<Question> heldout) {
        Set<String> held = new HashSet<>();
        heldout.forEach(q -> held.add(q.question()));
        for (Question q : train) {
            if (held.contains(q.question())) {
                throw new InvalidConfig("training question " + q.id() + " (" + q.question() + ") is also in the held-out "
                        + "set; the compute-optimal table must not be learned on held-out questions");
            }
        }
    }

    private TableLearner.Learned learnTable(EvalConfig trainConfig, List<QuestionResult> trainResults,
                                            EvalConfig heldoutConfig, int questions, ModelInfo modelInfo) {
        Map<String, Double> estimates = new HashMap<>();
        Map<String, Long> probeTokens = new HashMap<>();
        Map<String, List<QuestionResult>> byRun = new HashMap<>();
        for (QuestionResult r : trainResults) {
            byRun.computeIfAbsent(r.run(), k -> new ArrayList<>()).add(r);
            if (r.run().equals("difficulty-probe") && r.difficultyEstimate() != null) {
                estimates.put(r.id(), r.difficultyEstimate());
                probeTokens.put(r.id(), r.difficultyTokens() == null ? 0 : r.difficultyTokens());
            }
        }
        List<TableLearner.Candidate> candidates = new ArrayList<>();
        for (RunConfig run : trainConfig.runs()) {
            if (run.policies().isEmpty() && byRun.containsKey(run.name())) {
                candidates.add(new TableLearner.Candidate(run, byRun.get(run.name())));
            }
        }
        List<Long> budgets = heldoutConfig.runs().stream().filter(r -> r.hasPolicy("compute_optimal"))
                .map(r -> r.budget().maxTokens()).distinct().sorted().toList();
        String description = String.format(java.util.Locale.ROOT, "learned by `%s` on %d questions of "
                        + "models/eval/train-split.jsonl (stratified by difficulty), base seed %d, models %s; "
                        + "difficulty bins at quantiles of the estimate; per budget and bin the most accurate candidate "
                        + "whose difficulty samples plus own tokens fit the budget on 90%% of the bin's questions",
                COMMAND, questions, seed, modelInfo.shortId());
        return new TableLearner(new TableLearner.Settings(4, 4, 0.9, "prm", "last"))
                .learn("testbed-v1", description, estimates, probeTokens, candidates, budgets);
    }
}
