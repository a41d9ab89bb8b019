package io.ttsmesh.bench.eval.config;

import java.util.List;
import java.util.Optional;

/** The runs of one evaluation, in the order they were written (swept runs expanded). */
public record EvalConfig(String description, List<RunConfig> runs) {

    public EvalConfig {
        runs = List.copyOf(runs);
    }

    public Optional<RunConfig> run(String name) {
        return runs.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** Only the named runs, in config order. */
    public EvalConfig only(List<String> names) {
        for (String n : names) {
            if (run(n).isEmpty()) {
                throw new InvalidConfig("--runs: no run named '" + n + "' (runs: "
                        + String.join(", ", runs.stream().map(RunConfig::name).toList()) + ")");
            }
        }
        return new EvalConfig(description, runs.stream().filter(r -> names.contains(r.name())).toList());
    }
}
