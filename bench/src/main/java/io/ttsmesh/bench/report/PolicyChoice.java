package io.ttsmesh.bench.report;

import io.ttsmesh.bench.eval.config.EvalConfig;
import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.bench.eval.stats.Comparison;
import io.ttsmesh.search.MethodSpec;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Picks, on the training split, the policy setting a goal of issue 8 is judged with on the held-out set: among
 * the runs over the goal's baseline whose policies are of the allowed kinds, the one with the fewest tokens
 * (relative to the baseline) among those within {@code maxLoss} of the baseline's accuracy; when none is, the
 * one closest to the baseline's accuracy.
 *
 * @param goal e.g. "a"
 * @param chosen the run chosen, with its training-split comparison
 * @param candidates every eligible run's training-split comparison
 * @param withinLossOnTrain whether the chosen run kept the accuracy on the training split
 */
public record PolicyChoice(String goal, String baseline, Comparison chosen, List<Comparison> candidates,
                           boolean withinLossOnTrain) {

    public static Optional<PolicyChoice> choose(String goal, String baseline, Set<String> allowedPolicies, double maxLoss,
                                                EvalConfig config, List<Comparison> trainComparisons) {
        List<Comparison> candidates = trainComparisons.stream()
                .filter(c -> c.baseline().equals(baseline))
                .filter(c -> config.run(c.run()).map(r -> allowed(r, allowedPolicies)).orElse(false))
                .toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Optional<Comparison> within = candidates.stream()
                .filter(c -> c.accuracyDifference().estimate() >= -maxLoss - 1e-12)
                .min(Comparator.comparingDouble(Comparison::tokenRatio));
        Comparison chosen = within.orElseGet(() -> candidates.stream()
                .max(Comparator.comparingDouble((Comparison c) -> c.accuracyDifference().estimate())
                        .thenComparing(Comparator.comparingDouble(Comparison::tokenRatio).reversed()))
                .orElseThrow());
        return Optional.of(new PolicyChoice(goal, baseline, chosen, candidates, within.isPresent()));
    }

    private static boolean allowed(RunConfig run, Set<String> policies) {
        return !run.policies().isEmpty() && run.policies().stream().map(MethodSpec::name).allMatch(policies::contains);
    }
}
