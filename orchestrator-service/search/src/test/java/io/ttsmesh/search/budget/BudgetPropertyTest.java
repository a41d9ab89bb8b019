package io.ttsmesh.search.budget;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.run.SearchRunner;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.policy.ComputeOptimalTest;
import io.ttsmesh.search.scoring.Aggregation;
import io.ttsmesh.search.sim.Recorded;
import io.ttsmesh.search.sim.Requests;
import io.ttsmesh.search.sim.SimulatedGenerator;
import io.ttsmesh.search.sim.SimulatedPrm;
import io.ttsmesh.search.sim.SimulatedSession;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random budgets x every strategy x policy combinations on the simulator: the spend never exceeds the
 * budget, and the spend the search reports is exactly what the generator and the verifier counted.
 */
class BudgetPropertyTest {

    private static final SearchSettings SETTINGS = SearchSettings.defaults().toBuilder()
            .computeOptimalTable(ComputeOptimalTest.table()).build();

    record Case(String question, MethodSpec strategy, List<MethodSpec> policies, Budget budget, long seed,
                Aggregation aggregation) {
    }

    @Property(tries = 300)
    void spendStaysWithinTheBudgetAndMatchesThePorts(@ForAll("cases") Case c) {
        SimulatedGenerator generator = new SimulatedGenerator(0.3);
        SimulatedPrm prm = SimulatedPrm.standard();
        SearchRunner runner = new SearchRunner(generator, prm, SETTINGS);
        SearchRequest request = new SearchRequest("prop-" + c.seed(), c.question(), c.strategy(), c.policies(), c.budget(),
                new SamplingParams(null, null, null, c.seed(), 0), "prm", c.aggregation());
        Recorded events = new Recorded();
        SearchResult r = runner.run(request, events);

        events.assertWellFormed(r);
        assertThat(r.stopReason()).as(r.stopDetail()).isNotEqualTo(StopReason.FAILED);
        Spend spend = r.spend();
        assertThat(spend.generatedTokens()).isLessThanOrEqualTo(c.budget().maxTokens());
        assertThat(spend.verifierCalls()).isLessThanOrEqualTo(c.budget().maxVerifierCalls());
        SimulatedSession session = generator.lastSession();
        assertThat(session.closed()).isTrue();
        assertThat(spend.generatedTokens()).isEqualTo(session.generatedTokens());
        assertThat(spend.prefillTokens()).isEqualTo(session.prefillTokens());
        assertThat((long) spend.verifierCalls()).isEqualTo(prm.candidates());
        assertThat(spend.branches()).isEqualTo(session.branchesCreated());
        if (r.answer() != null) {
            assertThat(r.steps()).isNotEmpty();
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<String> question = Arbitraries.of(Requests.QUESTIONS);
        Arbitrary<MethodSpec> strategy = Arbitraries.oneOf(
                n("best_of_n"), n("weighted_best_of_n"), n("self_consistency"), n("first_finish"),
                beamLike("beam_search"), beamLike("dvts"),
                Combinators.combine(Arbitraries.integers().between(1, 8), Arbitraries.of("best", "weighted"),
                                Arbitraries.of(true, false))
                        .as((n, select, anneal) -> MethodSpec.of("particle_filter",
                                Map.of("n", "" + n, "select", select, "anneal", "" + anneal))),
                Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 12))
                        .as((k, e) -> MethodSpec.of("best_first", Map.of("k", "" + k, "max_expansions", "" + e))),
                Combinators.combine(Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 12))
                        .as((k, it) -> MethodSpec.of("mcts", Map.of("k", "" + k, "iterations", "" + it))));
        Arbitrary<Budget> budget = Combinators.combine(
                        Arbitraries.longs().between(1, 1500),
                        Arbitraries.integers().between(1, 120))
                .as((tokens, calls) -> new Budget(tokens, calls, Duration.ofMinutes(1)));
        return Combinators.combine(question, strategy, policies(), budget, Arbitraries.longs(),
                        Arbitraries.of(Aggregation.values()))
                .as(Case::new);
    }

    /** Policy combinations exercised with every strategy. */
    static Arbitrary<List<MethodSpec>> policies() {
        MethodSpec prune = MethodSpec.of("prune", Map.of("fraction", "0.5", "floor", "1"));
        MethodSpec pruneTokens = MethodSpec.of("prune", Map.of("every_tokens", "7", "floor", "2"));
        MethodSpec consensus = MethodSpec.of("consensus", Map.of("tau", "0.6", "min_votes", "2", "wave", "3"));
        MethodSpec scoreConsensus = MethodSpec.of("consensus", Map.of("weight", "score", "min_votes", "2"));
        MethodSpec adaptive = MethodSpec.of("adaptive_consistency", Map.of("rule", "dirichlet", "wave", "2"));
        MethodSpec certainty = MethodSpec.of("certainty", Map.of("agree", "2"));
        MethodSpec certaintySearch = MethodSpec.of("certainty", Map.of("agree", "2", "scope", "search", "every_tokens", "5"));
        MethodSpec deepconf = MethodSpec.of("deepconf", Map.of("warmup", "2", "window", "4"));
        MethodSpec rollover = MethodSpec.of("rollover", Map.of("expected_steps", "4", "batch", "2"));
        MethodSpec forcingMax = MethodSpec.of("budget_forcing", Map.of("max_tokens", "20"));
        MethodSpec forcingMin = MethodSpec.of("budget_forcing", Map.of("min_tokens", "30", "max_tokens", "60"));
        MethodSpec computeOptimal = MethodSpec.of("compute_optimal");
        return Arbitraries.of(List.of(), List.of(), List.of(prune), List.of(pruneTokens), List.of(consensus),
                List.of(scoreConsensus), List.of(adaptive), List.of(certainty), List.of(certaintySearch), List.of(deepconf),
                List.of(rollover), List.of(forcingMax), List.of(forcingMin), List.of(computeOptimal),
                List.of(prune, consensus), List.of(deepconf, adaptive), List.of(rollover, prune),
                List.of(certainty, forcingMin), List.of(computeOptimal, deepconf, pruneTokens));
    }

    private static Arbitrary<MethodSpec> n(String name) {
        return Arbitraries.integers().between(1, 8).map(n -> MethodSpec.of(name, Map.of("n", "" + n)));
    }

    private static Arbitrary<MethodSpec> beamLike(String name) {
        return Combinators.combine(Arbitraries.of(1, 2, 4), Arbitraries.of(1, 2), Arbitraries.integers().between(1, 8))
                .as((width, groups, iterations) -> MethodSpec.of(name, Map.of("n", "" + width * groups, "width", "" + width,
                        "max_iterations", "" + iterations)));
    }
}
