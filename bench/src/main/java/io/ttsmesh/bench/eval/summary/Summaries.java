package io.ttsmesh.bench.eval.summary;

import io.ttsmesh.bench.eval.config.EvalConfig;
import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.bench.eval.stats.Bootstrap;
import io.ttsmesh.bench.eval.stats.Comparison;
import io.ttsmesh.bench.eval.stats.RunSummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The summaries of an evaluation's runs (config order) and the comparisons of runs with their baselines. */
public record Summaries(List<RunSummary> runs, List<Comparison> comparisons,
                        Map<String, List<QuestionResult>> results) {

    public static Summaries of(EvalConfig config, List<QuestionResult> all, Bootstrap bootstrap) {
        Map<String, List<QuestionResult>> byRun = new LinkedHashMap<>();
        for (RunConfig run : config.runs()) {
            byRun.put(run.name(), new ArrayList<>());
        }
        for (QuestionResult r : all) {
            List<QuestionResult> list = byRun.get(r.run());
            if (list != null) {
                list.add(r);
            }
        }
        List<RunSummary> runs = new ArrayList<>();
        for (RunConfig run : config.runs()) {
            if (!byRun.get(run.name()).isEmpty()) {
                runs.add(RunSummary.of(run, byRun.get(run.name()), bootstrap));
            }
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (RunConfig run : config.runs()) {
            if (run.baseline() != null && !byRun.get(run.name()).isEmpty()
                    && !byRun.getOrDefault(run.baseline(), List.of()).isEmpty()) {
                comparisons.add(Comparison.of(run.name(), byRun.get(run.name()), run.baseline(),
                        byRun.get(run.baseline()), bootstrap));
            }
        }
        return new Summaries(List.copyOf(runs), List.copyOf(comparisons), byRun);
    }

    public Optional<RunSummary> run(String name) {
        return runs.stream().filter(r -> r.run().name().equals(name)).findFirst();
    }

    public Optional<Comparison> comparison(String name) {
        return comparisons.stream().filter(c -> c.run().equals(name)).findFirst();
    }
}
