package io.ttsmesh.bench.report;

import io.ttsmesh.bench.eval.config.EvalConfig;
import io.ttsmesh.bench.eval.optimal.TableLearner;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.bench.eval.summary.Summaries;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything the report is written from.
 *
 * @param tasks the ladders, the Countdown comparison and the mixed set; null when they did not run
 * @param tasksMissing why they did not run (null when they did)
 */
record ReportData(ModelInfo models, String command, List<Question> trainQuestions, List<Question> heldoutSubset,
                  int heldoutQuestions, EvalConfig trainConfig, EvalConfig heldoutConfig, RunGroups groups,
                  Summaries trainSummaries, Summaries subset, Summaries full, TableLearner.Learned learned, Path tableFile,
                  PolicyChoice goalA, PolicyChoice goalB, BaselineCheck baseline, double wallSeconds, double cpuSeconds,
                  double meanLoad, double maxLoad, int cores, Path results, ResultSpan span, Path notes,
                  TaskStudy.Result tasks, String tasksMissing) {

    /**
     * When the report's per-question results were written (first and last {@code finished_at}): the time the
     * searches took even when the report itself was resumed or rewritten from finished results.
     */
    record ResultSpan(java.time.Instant first, java.time.Instant last) {
        static ResultSpan of(List<io.ttsmesh.bench.eval.results.QuestionResult> results) {
            List<java.time.Instant> at = results.stream().filter(io.ttsmesh.bench.eval.results.QuestionResult::done)
                    .map(io.ttsmesh.bench.eval.results.QuestionResult::finishedAt)
                    .filter(java.util.Objects::nonNull).map(java.time.Instant::parse).sorted().toList();
            return at.isEmpty() ? null : new ResultSpan(at.get(0), at.get(at.size() - 1));
        }

        double minutes() {
            return java.time.Duration.between(first, last).toMillis() / 60_000.0;
        }
    }

    /** Which held-out runs came from which of the report's configs. */
    record RunGroups(List<String> strategies, List<String> policies, List<String> budgets, List<String> optimal) {
    }
}
