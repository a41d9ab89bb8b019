package io.ttsmesh.search.strategy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.choice.AnswerSelection;
import io.ttsmesh.search.choice.Choice;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.ParamSpec;
import io.ttsmesh.search.catalog.Params;
import io.ttsmesh.search.tree.Branch;
import io.ttsmesh.search.tree.SearchTree;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Particle filtering (Puri et al. 2025). N particles; every iteration the live ones take one step and the
 * verifier scores it; a particle's reward r is the PRM score of its newest step given the whole prefix, its
 * weight ∝ exp(logit(r)/τ) (a softmax of logit rewards); then N particles are drawn with replacement by
 * weight: a live particle drawn c times goes on as itself plus c-1 forks, one not drawn is cancelled.
 * Finished particles take part in the resampling with their final reward and always stay candidates.
 * Entropic annealing (ePF, Giannone et al. 2025): when the weights' entropy falls below a fraction of its
 * maximum, τ rises to N/ESS · (1 − t/T), keeping diversity early and letting it go late.
 */
public final class ParticleFilter implements Strategy {

    public static final String NAME = "particle_filter";
    private static final double EPS = 1e-7;

    private final MethodSpec spec;
    private final int n;
    private final int maxIterations;
    private final double baseTau;
    private final String select;
    private final boolean anneal;
    private final double entropyThreshold;
    private List<Branch> population = List.of();
    private double tau;

    public ParticleFilter(Params params) {
        this.spec = params.spec(NAME);
        this.n = params.integer("n");
        this.maxIterations = params.integer("max_iterations");
        this.baseTau = params.decimal("tau");
        this.select = params.choice("select");
        this.anneal = params.bool("anneal");
        this.entropyThreshold = params.decimal("entropy_threshold");
        this.tau = baseTau;
    }

    public static MethodDefinition<Strategy> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "N particles step, are weighted by softmax(logit(PRM score)/tau) and "
                + "resampled with replacement after every step; finished particles stay", true,
                List.of(Strategies.n(settings, 8),
                        Strategies.maxIterations(settings, 40),
                        ParamSpec.decimal("tau", 1.0, 0.01, 100, "softmax temperature of the logit rewards"),
                        ParamSpec.choice("select", AnswerSelection.BEST, List.of(AnswerSelection.BEST, AnswerSelection.WEIGHTED),
                                "best: the highest-weight finished particle; weighted: weighted vote of the final particles"),
                        ParamSpec.bool("anneal", false, "entropic annealing: raise tau when the weights' entropy is low"),
                        ParamSpec.decimal("entropy_threshold", 0.5, 0, 1,
                                "annealing starts below this fraction of the maximum entropy log N")),
                ParticleFilter::new);
    }

    @Override
    public void search(SearchTree tree) {
        population = new ArrayList<>(tree.start(n));
        for (int t = 0; t < maxIterations; t++) {
            List<Branch> live = population.stream().filter(Branch::isLive).distinct().toList();
            if (live.isEmpty()) {
                break;
            }
            tree.expectScoring(live.size());
            List<Branch> stepped = tree.step(live);
            Map<Branch, Branch> successor = new IdentityHashMap<>();
            for (int i = 0; i < live.size(); i++) {
                successor.put(live.get(i), stepped.get(i));
            }
            population.replaceAll(p -> successor.getOrDefault(p, p));
            tree.score(stepped);
            population = resample(tree, t);
        }
    }

    private List<Branch> resample(SearchTree tree, int t) {
        double[] w = weights(population, tau);
        if (anneal) {
            double entropy = entropy(w);
            if (entropy < entropyThreshold * Math.log(population.size())) {
                double annealed = Math.max(baseTau, population.size() / ess(w) * (1 - (double) t / maxIterations));
                if (annealed != tau) {
                    tree.decision(NAME, "anneal", "weight entropy " + round(entropy) + " fell below "
                                    + round(entropyThreshold * Math.log(population.size())) + "; tau " + round(tau) + " -> " + round(annealed),
                            List.of(), Map.of("entropy", entropy, "tau", annealed, "ess", ess(w)));
                    tau = annealed;
                    w = weights(population, tau);
                }
            } else {
                tau = baseTau;
            }
        }
        Map<Branch, Integer> drawn = new LinkedHashMap<>();
        population.forEach(p -> drawn.putIfAbsent(p, 0));
        for (int i = 0; i < population.size(); i++) {
            drawn.merge(population.get(draw(w, tree.random().nextDouble())), 1, Integer::sum);
        }
        // free the particles not drawn before forking the drawn ones, so live KV never exceeds N
        tree.prune(drawn.entrySet().stream().filter(e -> e.getValue() == 0 && e.getKey().isLive()).map(Map.Entry::getKey)
                .toList(), NAME, "not drawn when resampling after step " + (t + 1));
        List<Branch> next = new ArrayList<>();
        for (var e : drawn.entrySet()) {
            Branch p = e.getKey();
            int copies = e.getValue();
            if (copies == 0) {
                continue;
            }
            next.add(p);
            if (p.isLive()) {
                next.addAll(tree.fork(p, copies - 1));
            } else {
                for (int c = 1; c < copies; c++) {
                    next.add(p);
                }
            }
        }
        return next;
    }

    private static double[] weights(List<Branch> particles, double tau) {
        double[] logw = new double[particles.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < logw.length; i++) {
            logw[i] = logit(particles.get(i).lastScore()) / tau;
            max = Math.max(max, logw[i]);
        }
        double sum = 0;
        double[] w = new double[logw.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.exp(logw[i] - max);
            sum += w[i];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }

    /** logit of a reward clipped to [EPS, 1-EPS]; an unscored particle counts as reward EPS. */
    static double logit(double r) {
        double x = Double.isNaN(r) ? EPS : Math.min(1 - EPS, Math.max(EPS, r));
        return Math.log(x / (1 - x));
    }

    private static int draw(double[] w, double u) {
        double acc = 0;
        for (int i = 0; i < w.length; i++) {
            acc += w[i];
            if (u < acc) {
                return i;
            }
        }
        return w.length - 1;
    }

    private static double entropy(double[] w) {
        double h = 0;
        for (double x : w) {
            if (x > 0) {
                h -= x * Math.log(x);
            }
        }
        return h;
    }

    private static double ess(double[] w) {
        double s = 0;
        for (double x : w) {
            s += x * x;
        }
        return 1 / s;
    }

    private static String round(double x) {
        return String.format(java.util.Locale.ROOT, "%.3f", x);
    }

    @Override
    public Choice choose(SearchTree tree) {
        tree.scoreIfAffordable(tree.voters());
        List<Branch> voters = tree.voters();
        if (select.equals(AnswerSelection.WEIGHTED)) {
            // the final particles, with multiplicity, weighted as in the last resampling
            List<Branch> finals = population.stream().filter(Branch::votes).toList();
            List<Branch> pool = finals.isEmpty() ? voters : finals;
            double currentTau = tau;
            Map<Branch, Integer> copies = new IdentityHashMap<>();
            pool.forEach(p -> copies.merge(p, 1, Integer::sum));
            List<Branch> distinct = pool.stream().distinct().toList();
            double top = distinct.stream().mapToDouble(b -> logit(b.lastScore())).max().orElse(0);
            return AnswerSelection.weighted(distinct,
                    b -> copies.get(b) * Math.exp((logit(b.lastScore()) - top) / currentTau));
        }
        return AnswerSelection.highest(voters, Branch::lastScore);
    }

    @Override
    public MethodSpec spec() {
        return spec;
    }

    @Override
    public boolean needsVerifier() {
        return true;
    }
}
