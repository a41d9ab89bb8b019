package io.ttsmesh.bench.report;

import io.ttsmesh.bench.eval.config.EvalConfig;
import io.ttsmesh.bench.eval.optimal.TableLearner;
import io.ttsmesh.bench.eval.questions.Question;
import io.ttsmesh.bench.eval.summary.Summaries;

import java.nio.file.Path;
import java.util.List;

/** Everything the report is written from. */
record ReportData(ModelInfo models, String command, List<Question> trainQuestions, List<Question> heldoutSubset,
                  int heldoutQuestions, EvalConfig trainConfig, EvalConfig heldoutConfig, RunGroups groups,
                  Summaries trainSummaries, Summaries subset, Summaries full, TableLearner.Learned learned, Path tableFile,
                  PolicyChoice goalA, PolicyChoice goalB, BaselineCheck baseline, double wallSeconds, double cpuSeconds,
                  double meanLoad, double maxLoad, int cores, Path results) {

    /** Which held-out runs came from which of the report's configs. */
    record RunGroups(List<String> strategies, List<String> policies, List<String> budgets, List<String> optimal) {
    }
}
