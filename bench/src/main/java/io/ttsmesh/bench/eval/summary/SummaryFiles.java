package io.ttsmesh.bench.eval.summary;

import io.ttsmesh.bench.BenchJson;
import io.ttsmesh.bench.eval.plots.AccuracyByDifficultyChart;
import io.ttsmesh.bench.eval.plots.AccuracyVsTokensChart;
import io.ttsmesh.bench.eval.plots.PolicySavingsChart;
import io.ttsmesh.bench.eval.stats.Comparison;
import io.ttsmesh.bench.eval.stats.RunSummary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes what {@code tts-bench eval} leaves beside its results: summary.md (tables), summary.json (the same
 * numbers for scripts), summary.csv (one row per run, for spreadsheets) and the three PNG charts.
 */
public final class SummaryFiles {


    private SummaryFiles() {
    }

    public static void write(Path dir, String title, Summaries s, String command) {
        try {
            Files.createDirectories(dir);
            StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
            if (command != null) {
                md.append("Produced by:\n\n```\n").append(command).append("\n```\n\n");
            }
            md.append("Accuracy is each question's task's grade of the chosen solution; 95% intervals are percentile "
                    + "bootstraps over questions. Tokens are generated tokens per question (what the budget bounds); "
                    + "latency is per search as the harness saw it, with the other searches running concurrently.\n\n");
            md.append(SummaryTable.runs(s.runs())).append('\n');
            md.append("## Accuracy by difficulty\n\n").append(SummaryTable.byDifficulty(s.runs())).append('\n');
            if (!s.comparisons().isEmpty()) {
                md.append("## Runs against their baselines (paired over the same questions)\n\n")
                        .append(SummaryTable.comparisons(s.comparisons())).append('\n');
            }
            md.append("![accuracy vs tokens](accuracy-vs-tokens.png)\n\n![accuracy by difficulty](accuracy-by-difficulty.png)\n");
            if (!s.comparisons().isEmpty()) {
                md.append("\n![policy savings](policy-savings.png)\n");
            }
            Files.writeString(dir.resolve("summary.md"), md.toString());
            Files.writeString(dir.resolve("summary.json"), BenchJson.PRETTY.writeValueAsString(json(s)) + "\n");
            Files.writeString(dir.resolve("summary.csv"), csv(s));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the summary to " + dir, e);
        }
        AccuracyVsTokensChart.write(title + ": accuracy vs tokens", s.runs(), dir.resolve("accuracy-vs-tokens.png"));
        AccuracyByDifficultyChart.write(title + ": accuracy by difficulty", s.runs(), dir.resolve("accuracy-by-difficulty.png"));
        if (!s.comparisons().isEmpty()) {
            PolicySavingsChart.write(title + ": tokens saved by each policy", s.comparisons(), dir.resolve("policy-savings.png"));
        }
    }

    static String csv(Summaries s) {
        StringBuilder csv = new StringBuilder("run,curve,point,questions,accuracy,accuracy_ci95_low,accuracy_ci95_high,"
                + "mean_tokens,mean_verifier_calls,p50_latency_ms,p99_latency_ms,failed\n");
        for (RunSummary r : s.runs()) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%.4f,%.4f,%.4f,%.1f,%.2f,%d,%d,%d%n", quoted(r.run().name()),
                    quoted(r.run().curve()), quoted(r.run().point()), r.questions(), r.accuracy().estimate(),
                    r.accuracy().low(), r.accuracy().high(), r.meanTokens(), r.meanVerifierCalls(),
                    r.p50LatencyMs(), r.p99LatencyMs(), r.failed()));
        }
        return csv.toString();
    }

    private static String quoted(String field) {
        if (field == null) {
            return "";
        }
        return field.contains(",") || field.contains("\"") ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    static Map<String, Object> json(Summaries s) {
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunSummary r : s.runs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", r.run().name());
            m.put("method", r.run().describe());
            m.put("curve", r.run().curve());
            m.put("point", r.run().point());
            m.put("questions", r.questions());
            m.put("accuracy", r.accuracy().estimate());
            m.put("accuracy_ci95", List.of(r.accuracy().low(), r.accuracy().high()));
            m.put("mean_tokens", r.meanTokens());
            m.put("mean_prefill_tokens", r.meanPrefillTokens());
            m.put("mean_verifier_calls", r.meanVerifierCalls());
            m.put("mean_branches", r.meanBranches());
            m.put("p50_latency_ms", r.p50LatencyMs());
            m.put("p99_latency_ms", r.p99LatencyMs());
            m.put("failed", r.failed());
            m.put("stops", r.stops());
            Map<String, Object> d = new LinkedHashMap<>();
            r.byDifficulty().forEach((k, v) -> d.put(k, Map.of("questions", v.questions(), "accuracy", v.accuracy(),
                    "mean_tokens", v.meanTokens())));
            m.put("by_difficulty", d);
            m.put("grader_disagreements", r.graderDisagreements());
            if (!r.chosen().isEmpty()) {
                m.put("chosen", r.chosen());
            }
            runs.add(m);
        }
        List<Map<String, Object>> comparisons = new ArrayList<>();
        for (Comparison c : s.comparisons()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("run", c.run());
            m.put("baseline", c.baseline());
            m.put("questions", c.questions());
            m.put("accuracy", c.accuracy());
            m.put("baseline_accuracy", c.baselineAccuracy());
            m.put("accuracy_difference", c.accuracyDifference().estimate());
            m.put("accuracy_difference_ci95", List.of(c.accuracyDifference().low(), c.accuracyDifference().high()));
            m.put("mean_tokens", c.meanTokens());
            m.put("baseline_mean_tokens", c.baselineMeanTokens());
            m.put("token_ratio", c.tokenRatio());
            comparisons.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runs", runs);
        out.put("comparisons", comparisons);
        return out;
    }
}
