package io.ttsmesh.search.policy;

import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.ParamSpec;
import io.ttsmesh.search.catalog.Params;
import io.ttsmesh.search.tree.Branch;
import io.ttsmesh.search.tree.Decisions;
import io.ttsmesh.search.tree.ExtendPlan;
import io.ttsmesh.search.tree.Policy;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Adaptive consistency (Aggarwal et al. 2023): after every finished sample, a stopping rule on the vote
 * counts decides whether more samples could still change the leading answer. Beta rule: with counts v1 >= v2
 * of the two leading answers, stop when P(p1 > p2) > {@code threshold} for (p1, p2) ~ Beta(v1+1, v2+1) —
 * exactly P(Binomial(v1+v2+1, 1/2) <= v1). Dirichlet rule: the probability that the leader has the largest
 * share under Dirichlet(v+1) over all answers seen, estimated by Monte Carlo with the search's seed.
 */
public final class AdaptiveConsistency implements Policy {

    public static final String NAME = "adaptive_consistency";
    private static final int DRAWS = 2000;

    private final double threshold;
    private final String rule;
    private final int minVotes;
    private final int wave;

    public AdaptiveConsistency(Params params) {
        this.threshold = params.decimal("threshold");
        this.rule = params.choice("rule");
        this.minVotes = params.integer("min_votes");
        this.wave = params.integer("wave");
    }

    public static MethodDefinition<Policy> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "stop sampling when a Beta or Dirichlet stopping rule on the vote counts "
                + "says the leading answer is unlikely to change", false,
                List.of(ParamSpec.decimal("threshold", 0.95, 0.5, 0.9999, "probability that the leader is the true majority"),
                        ParamSpec.choice("rule", "beta", List.of("beta", "dirichlet"), "stopping rule"),
                        ParamSpec.integer("min_votes", 2, 1, settings.maxN(), "finished answers needed before deciding"),
                        Consensus.waveParam(settings)),
                AdaptiveConsistency::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void beforeExtend(ExtendPlan plan) {
        if (wave > 0 && plan.extension().toEnd()) {
            plan.admitAtMost(wave);
        }
    }

    @Override
    public void onFinish(Decisions search, Branch branch) {
        VoteCount count = VoteCount.of(search.voters(), b -> 1);
        if (count.votes() < minVotes) {
            return;
        }
        double p = rule.equals("beta") ? betaRule((int) count.leaderWeight(), (int) count.runnerUpWeight())
                : dirichletRule(count, search.random());
        if (p > threshold) {
            String reason = String.format(Locale.ROOT, "%s rule: answer %s leads %d to %d of %d votes; P(it stays the "
                            + "majority) = %.4f > %.4f", rule, count.leader(), (int) count.leaderWeight(),
                    (int) count.runnerUpWeight(), count.votes(), p, threshold);
            search.exit(reason, count.leader(), Map.of("probability", p, "threshold", threshold,
                    "votes", (double) count.votes(), "leader_votes", count.leaderWeight()));
        }
    }

    /** P(p1 > p2) for (p1, p2) ~ Beta(v1 + 1, v2 + 1) = P(Binomial(v1 + v2 + 1, 1/2) <= v1). */
    static double betaRule(int v1, int v2) {
        int n = v1 + v2 + 1;
        BigInteger sum = BigInteger.ZERO;
        BigInteger c = BigInteger.ONE;
        for (int j = 0; j <= v1; j++) {
            sum = sum.add(c);
            c = c.multiply(BigInteger.valueOf(n - j)).divide(BigInteger.valueOf(j + 1));
        }
        return new java.math.BigDecimal(sum).divide(new java.math.BigDecimal(BigInteger.TWO.pow(n)),
                java.math.MathContext.DECIMAL64).doubleValue();
    }

    /** Monte Carlo estimate of P(the leader has the largest share) under Dirichlet(counts + 1). */
    static double dirichletRule(VoteCount count, RandomGenerator random) {
        int m = count.ranked().size();
        if (m == 1) {
            // a second answer with no votes yet: the Beta rule's case v2 = 0
            return betaRule((int) count.leaderWeight(), 0);
        }
        int leaderWins = 0;
        double[] g = new double[m];
        for (int d = 0; d < DRAWS; d++) {
            for (int i = 0; i < m; i++) {
                g[i] = gamma((int) Math.round(count.ranked().get(i).getValue()) + 1, random);
            }
            boolean wins = true;
            for (int i = 1; i < m; i++) {
                if (g[i] >= g[0]) {
                    wins = false;
                    break;
                }
            }
            if (wins) {
                leaderWins++;
            }
        }
        return (double) leaderWins / DRAWS;
    }

    /** A Gamma(shape, 1) variate for an integer shape: a sum of exponentials. */
    private static double gamma(int shape, RandomGenerator random) {
        double sum = 0;
        for (int i = 0; i < shape; i++) {
            sum -= Math.log(1 - random.nextDouble());
        }
        return sum;
    }
}
