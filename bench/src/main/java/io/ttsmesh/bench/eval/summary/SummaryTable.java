package io.ttsmesh.bench.eval.summary;

import io.ttsmesh.bench.eval.stats.Comparison;
import io.ttsmesh.bench.eval.stats.RunSummary;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Markdown tables of run summaries and comparisons. */
public final class SummaryTable {

    private SummaryTable() {
    }

    /** One row per run: accuracy with its 95% bootstrap interval, tokens, verifier calls, latency, stops. */
    public static String runs(List<RunSummary> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append("| run | questions | accuracy | 95% CI | mean tokens | mean prefill | mean verifier calls "
                + "| p50 latency ms | p99 latency ms | stop reasons |\n");
        sb.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---|\n");
        for (RunSummary r : runs) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.3f | [%.3f, %.3f] | %.0f | %.0f | %.1f | %d | %d | %s |%n",
                    r.run().name(), r.questions(), r.accuracy().estimate(), r.accuracy().low(), r.accuracy().high(),
                    r.meanTokens(), r.meanPrefillTokens(), r.meanVerifierCalls(), r.p50LatencyMs(), r.p99LatencyMs(),
                    stops(r.stops())));
        }
        return sb.toString();
    }

    /** Accuracy per difficulty, one row per run. */
    public static String byDifficulty(List<RunSummary> runs) {
        TreeSet<String> labels = new TreeSet<>();
        runs.forEach(r -> labels.addAll(r.byDifficulty().keySet()));
        StringBuilder sb = new StringBuilder("| run |");
        labels.forEach(l -> sb.append(" d=").append(l).append(" |"));
        sb.append("\n|---|");
        labels.forEach(l -> sb.append("---:|"));
        sb.append('\n');
        for (RunSummary r : runs) {
            sb.append("| ").append(r.run().name()).append(" |");
            for (String l : labels) {
                RunSummary.DifficultyAccuracy d = r.byDifficulty().get(l);
                sb.append(d == null ? " - |" : String.format(Locale.ROOT, " %.3f |", d.accuracy()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** One row per run compared with its baseline (paired over the same questions). */
    public static String comparisons(List<Comparison> comparisons) {
        StringBuilder sb = new StringBuilder();
        sb.append("| run | baseline | questions | accuracy | baseline accuracy | difference (95% CI, points) "
                + "| mean tokens | baseline tokens | tokens used | tokens saved |\n");
        sb.append("|---|---|---:|---:|---:|---|---:|---:|---:|---:|\n");
        for (Comparison c : comparisons) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.3f | %.3f | %+.1f [%+.1f, %+.1f] | %.0f | %.0f | %.0f%% | %.0f%% |%n",
                    c.run(), c.baseline(), c.questions(), c.accuracy(), c.baselineAccuracy(),
                    100 * c.accuracyDifference().estimate(), 100 * c.accuracyDifference().low(),
                    100 * c.accuracyDifference().high(), c.meanTokens(), c.baselineMeanTokens(), 100 * c.tokenRatio(),
                    c.tokensSavedPercent()));
        }
        return sb.toString();
    }

    static String stops(Map<String, Integer> stops) {
        return stops.entrySet().stream().map(e -> e.getKey().toLowerCase(Locale.ROOT) + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
