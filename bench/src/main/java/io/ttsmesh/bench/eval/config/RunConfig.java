package io.ttsmesh.bench.eval.config;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.generation.SamplingParams;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One configuration to evaluate: a strategy with its policies, budget and sampling. Every question of the
 * file is searched once per run.
 *
 * @param name unique; results are keyed by it (a swept run is named {@code <name>@<value>})
 * @param curve the series it belongs to in the accuracy-vs-tokens plot (the unswept name by default)
 * @param point the swept value that places it on its curve ("16" for n = 16), or null when not swept
 * @param sampling temperature, top_p, top_k, top_logprobs; the seed is set per question by the harness
 * @param verifier null: the server's default
 * @param aggregation null: the server's default ("last")
 * @param baseline another run this one is compared with (policy savings), or null
 * @param seedKey mixed into every question's seed; runs with the same key see the same random streams
 * @param computeOptimalTable a compute-optimal table for this run (in-process mode only), or null
 */
public record RunConfig(String name, String curve, String point, MethodSpec strategy, List<MethodSpec> policies,
                        Budget budget, SamplingParams sampling, String verifier, String aggregation, String baseline,
                        String seedKey, Path computeOptimalTable) {

    public RunConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(curve, "curve");
        Objects.requireNonNull(strategy, "strategy");
        policies = List.copyOf(policies);
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(seedKey, "seedKey");
    }

    public boolean hasPolicy(String policy) {
        return policies.stream().anyMatch(p -> p.name().equals(policy));
    }

    /** "best_of_n n=16 + prune(fraction=0.5)": the run's method in words, for tables. */
    public String describe() {
        StringBuilder sb = new StringBuilder(strategy.name());
        strategy.params().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> sb.append(' ').append(e.getKey()).append('=').append(e.getValue()));
        for (MethodSpec p : policies) {
            sb.append(" + ").append(p.name());
            if (!p.params().isEmpty()) {
                sb.append('(');
                sb.append(String.join(", ", p.params().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + "=" + e.getValue()).toList()));
                sb.append(')');
            }
        }
        return sb.toString();
    }
}
