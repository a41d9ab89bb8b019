package io.ttsmesh.bench.eval;

import io.ttsmesh.bench.eval.config.ConfigFile;
import io.ttsmesh.bench.eval.config.EvalConfig;
import io.ttsmesh.bench.eval.config.InvalidConfig;
import io.ttsmesh.bench.eval.execution.BackendUnavailable;
import io.ttsmesh.bench.eval.execution.Evaluation;
import io.ttsmesh.bench.eval.execution.MeshBackend;
import io.ttsmesh.bench.eval.execution.SearchBackend;
import io.ttsmesh.mesh.questions.InvalidQuestionFile;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;
import io.ttsmesh.bench.eval.questions.StratifiedSubset;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.bench.eval.results.ResultLog;
import io.ttsmesh.bench.eval.stats.Bootstrap;
import io.ttsmesh.bench.eval.summary.Summaries;
import io.ttsmesh.bench.eval.summary.SummaryFiles;
import io.ttsmesh.bench.eval.summary.SummaryTable;
import io.ttsmesh.bench.eval.execution.InProcessEngines;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.task.TaskRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tts-bench eval}: every question of a JSONL file through every run of a config, graded, summarized
 * and plotted. Resumable: results are appended per search to {@code <out>/results.jsonl}; a rerun with the same
 * config and seed skips what is done.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluates strategies and policies on a JSONL file of question records (task?, id?, the task's "
                + "question fields, answer?, difficulty?).",
                "Writes <out>/results.jsonl (one line per question and run, appended as searches finish; a rerun "
                        + "skips what is done), summary.md, summary.json and PNG charts."})
public final class EvalCommand implements Callable<Integer> {

    @Option(names = {"-q", "--questions"}, required = true, paramLabel = "FILE",
            description = "JSONL questions: {\"task\"?, \"id\"?, \"question\" (arithmetic) or \"numbers\" and "
                    + "\"target\" (countdown), \"answer\"?, \"difficulty\"?}; tasks may be mixed")
    Path questions;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "runs to evaluate (JSON; see bench/README.md); repeat to combine several files")
    List<Path> config;

    @Option(names = {"-o", "--out"}, defaultValue = "bench/results/eval", paramLabel = "DIR",
            description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--orchestrator", paramLabel = "HOST:PORT", arity = "0..1", fallbackValue = "localhost:9080",
            description = "run through a running mesh (gRPC to its orchestrator; bare option: localhost:9080) "
                    + "instead of in-process")
    String orchestrator;

    @Option(names = "--models", paramLabel = "DIR",
            description = "in-process: the arithmetic models folder (default: the bundled test-bed models)")
    Path models;

    @Option(names = "--countdown-models", paramLabel = "DIR",
            description = "in-process: the Countdown models folder, for files with countdown questions "
                    + "(default: countdown/ in the models folder)")
    Path countdownModels;

    @Option(names = "--concurrency", defaultValue = "32",
            description = "searches in flight at once (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--seed", defaultValue = "1",
            description = "base seed; each search's seed derives from it, the question id and the run (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--subset", paramLabel = "N",
            description = "evaluate a stratified subset of N questions (by difficulty, first of each in file order)")
    Integer subset;

    @Option(names = "--runs", split = ",", paramLabel = "NAME",
            description = "only these runs of the config (comma-separated)")
    List<String> runs;

    @Option(names = "--title", description = "title of the summary and charts (default: the questions file's name)")
    String title;

    @Option(names = "--bootstrap", defaultValue = "2000",
            description = "bootstrap resamples of the 95%% intervals (default: ${DEFAULT-VALUE})")
    int resamples;

    @Override
    public Integer call() throws Exception {
        EvalConfig evalConfig;
        List<Question> all;
        try {
            evalConfig = ConfigFile.read(config);
            if (runs != null && !runs.isEmpty()) {
                evalConfig = evalConfig.only(runs);
            }
            all = QuestionFile.read(questions);
        } catch (InvalidConfig | InvalidQuestionFile e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        }
        List<Question> chosen = subset == null ? all : StratifiedSubset.of(all, subset);
        java.util.Set<String> tasks = new java.util.TreeSet<>(chosen.stream().map(Question::task).toList());
        List<InProcessEngines.TaskModels> engines = new java.util.ArrayList<>();
        if (orchestrator == null) {
            for (String task : tasks) {
                Path dir = switch (task) {
                    case TaskRegistry.DEFAULT -> models != null ? models : BundledModels.root();
                    case "countdown" -> countdownModels != null ? countdownModels : InProcessEngines.countdownBeside(models);
                    default -> null;
                };
                if (dir == null || !InProcessEngines.hasModels(dir)) {
                    System.err.println("error: the questions include task " + task + ", which has no models here"
                            + (dir == null ? "" : " (none in " + dir + ")")
                            + (task.equals("countdown") ? "; give --countdown-models DIR" : ""));
                    return 2;
                }
                engines.add(new InProcessEngines.TaskModels(task, dir));
            }
        }
        System.err.printf("%d questions (%s), %d runs, %s%n", chosen.size(), StratifiedSubset.counts(chosen),
                evalConfig.runs().size(), orchestrator == null ? "in-process" : "through the mesh at " + orchestrator);
        List<QuestionResult> results;
        try (SearchBackend backend = orchestrator != null ? new MeshBackend(orchestrator)
                : InProcessEngines.backend(engines);
             ResultLog log = ResultLog.open(out.resolve("results.jsonl"))) {
            results = new Evaluation(backend, new Evaluation.Settings(seed, concurrency, 5, false))
                    .run("eval", chosen, evalConfig, log);
        } catch (InvalidConfig e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        } catch (BackendUnavailable e) {
            System.err.println("error: " + e.getMessage() + " (results so far are kept; rerun to resume)");
            return 3;
        }
        Summaries summaries = Summaries.of(evalConfig, results, new Bootstrap(resamples, seed));
        String name = title != null ? title : questions.getFileName().toString();
        SummaryFiles.write(out, name, summaries, null);
        System.out.println(SummaryTable.runs(summaries.runs()));
        if (!summaries.comparisons().isEmpty()) {
            System.out.println(SummaryTable.comparisons(summaries.comparisons()));
        }
        System.err.println("results, summary and charts in " + out);
        return 0;
    }
}
