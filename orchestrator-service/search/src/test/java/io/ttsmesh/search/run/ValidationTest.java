package io.ttsmesh.search.run;

import io.ttsmesh.search.InvalidSearchRequest;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.RequestId;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.sim.SimulatedGenerator;
import io.ttsmesh.search.sim.SimulatedPrm;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValidationTest {

    private final SearchRunner runner = new SearchRunner(new SimulatedGenerator(0), SimulatedPrm.standard(),
            SearchSettings.defaults());

    private static final Budget OK = new Budget(1000, 100, Duration.ofSeconds(10));

    private static SearchRequest request(String question, MethodSpec strategy, List<MethodSpec> policies, Budget budget,
                                         SamplingParams sampling, String verifier) {
        return new SearchRequest("r-1", question, strategy, policies, budget, sampling, verifier, Aggregation.MIN);
    }

    private static SearchRequest strategy(String name, Map<String, String> params) {
        return request("1+2", MethodSpec.of(name, params), List.of(), OK, null, null);
    }

    private void refused(SearchRequest r, String field, String messagePart) {
        assertThatThrownBy(() -> runner.validate(r))
                .isInstanceOfSatisfying(InvalidSearchRequest.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(messagePart);
                });
        // run refuses the same way, before any event
        assertThatThrownBy(() -> runner.run(r, e -> {
            throw new AssertionError("no event for an invalid request");
        })).isInstanceOf(InvalidSearchRequest.class);
    }

    @Test
    void acceptsAValidRequest() {
        runner.validate(strategy("beam_search", Map.of("n", "8", "width", "2")));
        runner.validate(request("1+2", MethodSpec.of("self_consistency"), List.of(), new Budget(10, 0, Duration.ofMillis(1)),
                new SamplingParams(0f, 1f, 0, 7L, 20), "orm"));
    }

    @Test
    void unknownStrategyListsTheKnownOnes() {
        refused(strategy("beam", Map.of()), "strategy.name", "known: best_of_n, weighted_best_of_n, self_consistency, beam_search");
        refused(request("1+2", null, List.of(), OK, null, null), "strategy.name", "required");
    }

    @Test
    void parametersAreTypedAndBounded() {
        refused(strategy("best_of_n", Map.of("n", "0")), "strategy.params.n", "must be in [1, 256], got 0");
        refused(strategy("best_of_n", Map.of("n", "1000")), "strategy.params.n", "must be in [1, 256]");
        refused(strategy("best_of_n", Map.of("n", "eight")), "strategy.params.n", "must be an integer");
        refused(strategy("best_of_n", Map.of("m", "2")), "strategy.params.m", "unknown parameter of best_of_n (known: n)");
        refused(strategy("beam_search", Map.of("n", "8", "width", "3")), "strategy.params.width", "must divide n (8)");
        refused(strategy("beam_search", Map.of("select", "max")), "strategy.params.select", "must be one of best, weighted, vote");
    }

    @Test
    void unknownPolicyIsNamedByItsIndex() {
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(MethodSpec.of("frobnicate")), OK, null, null),
                "policies[0].name", "unknown policy 'frobnicate'");
    }

    @Test
    void policiesAreValidatedByIndexAndCombination() {
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(MethodSpec.of("consensus"),
                MethodSpec.of("prune", Map.of("fraction", "2"))), OK, null, null), "policies[1].params.fraction", "[0, 0.99]");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(MethodSpec.of("prune"), MethodSpec.of("prune")), OK,
                null, null), "policies[1].name", "prune is given twice");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(MethodSpec.of("budget_forcing")), OK, null, null),
                "policies[0].params.max_tokens", "set min_tokens or max_tokens");
        refused(request("1+2", MethodSpec.of("self_consistency"), List.of(MethodSpec.of("prune")),
                new Budget(10, 0, Duration.ofSeconds(1)), null, null), "budget.max_verifier_calls", "policy prune (policies[0]) asks the verifier");
        refused(request("1+2", MethodSpec.of("self_consistency"), List.of(MethodSpec.of("consensus", Map.of("weight", "votes"))),
                OK, null, null), "policies[0].params.weight", "must be one of none, score, confidence");
        runner.validate(request("1+2", MethodSpec.of("self_consistency"), List.of(MethodSpec.of("consensus"),
                MethodSpec.of("deepconf")), new Budget(10, 0, Duration.ofSeconds(1)), null, null));
    }

    @Test
    void budgetMustBePresentPositiveAndSane() {
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), null, null, null), "budget", "required");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), new Budget(0, 10, Duration.ofSeconds(1)), null, null),
                "budget.max_tokens", "must be in [1, 1000000], got 0");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), new Budget(2_000_000, 10, Duration.ofSeconds(1)), null, null),
                "budget.max_tokens", "must be in [1, 1000000], got 2000000");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), new Budget(10, -1, Duration.ofSeconds(1)), null, null),
                "budget.max_verifier_calls", "must be in [0, 100000], got -1");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), new Budget(10, 200_000, Duration.ofSeconds(1)), null, null),
                "budget.max_verifier_calls", "must be in [0, 100000], got 200000");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), new Budget(10, 10, Duration.ZERO), null, null),
                "budget.deadline_ms", "must be in [1, 600000] ms, got 0 ms");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), new Budget(10, 10, null), null, null),
                "budget.deadline_ms", "required");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), new Budget(10, 10, Duration.ofHours(1)), null, null),
                "budget.deadline_ms", "must be in [1, 600000] ms, got 3600000 ms");
    }

    @Test
    void aStrategyThatNeedsTheVerifierNeedsVerifierCalls() {
        refused(request("1+2", MethodSpec.of("beam_search"), List.of(), new Budget(10, 0, Duration.ofSeconds(1)), null, null),
                "budget.max_verifier_calls", "strategy beam_search asks the verifier");
    }

    @Test
    void questionMustBeThereAndNotHuge() {
        refused(request(" ", MethodSpec.of("best_of_n"), List.of(), OK, null, null), "question", "must not be empty");
        refused(request("1".repeat(4001), MethodSpec.of("best_of_n"), List.of(), OK, null, null), "question",
                "4001 characters long; at most 4000");
    }

    @Test
    void samplingValuesAreChecked() {
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), OK, new SamplingParams(-0.1f, null, null, null, 0), null),
                "sampling.temperature", "[0, 5]");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), OK, new SamplingParams(Float.NaN, null, null, null, 0), null),
                "sampling.temperature", "[0, 5]");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), OK, new SamplingParams(null, 0f, null, null, 0), null),
                "sampling.top_p", "(0, 1]");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), OK, new SamplingParams(null, null, -1, null, 0), null),
                "sampling.top_k", "negative");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), OK, new SamplingParams(null, null, null, null, 21), null),
                "sampling.top_logprobs", "[0, 20]");
    }

    @Test
    void verifierAndRequestIdAreChecked() {
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), OK, null, "oracul"), "verifier",
                "unknown verifier 'oracul' (known: prm, orm, rules, oracle, exact, confidence for task arithmetic");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), OK, null, "rules+oracul"), "verifier",
                "unknown verifier 'oracul'");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), OK, null, "rules+"), "verifier",
                "empty verifier name in 'rules+'");
        refused(request("1+2", MethodSpec.of("best_of_n"), List.of(), OK, null, "prm+prm"), "verifier",
                "prm is stacked twice");
        for (String accepted : List.of("oracle", "exact", "rules", "rules+prm", "rules+orm+confidence", " prm ")) {
            runner.validate(request("1+2", MethodSpec.of("best_of_n"), List.of(), OK, null, accepted));
        }
        refused(new SearchRequest("", "1+2", MethodSpec.of("best_of_n"), List.of(), OK, null, null, null), "request_id", "required");
        refused(new SearchRequest("a b", "1+2", MethodSpec.of("best_of_n"), List.of(), OK, null, null, null), "request_id",
                "[A-Za-z0-9._:-]");
    }

    @Test
    void catalogDescribesEveryParameter() {
        SearchCatalog catalog = runner.catalog();
        assertThat(catalog.strategies()).extracting(m -> m.name())
                .contains("best_of_n", "weighted_best_of_n", "self_consistency", "beam_search");
        var beam = catalog.strategies().stream().filter(m -> m.name().equals("beam_search")).findFirst().orElseThrow();
        assertThat(beam.needsVerifier()).isTrue();
        assertThat(beam.params()).extracting(p -> p.name() + ":" + p.type() + ":" + p.defaultValue() + ":" + p.min() + ":" + p.max())
                .contains("n:int:8:1:256", "width:int:4:1:64", "max_iterations:int:40:1:200");
        assertThat(catalog.policies()).extracting(m -> m.name()).containsExactly("prune", "consensus",
                "adaptive_consistency", "certainty", "deepconf", "rollover", "budget_forcing", "compute_optimal");
        assertThat(catalog.verifiers()).containsExactly("prm", "orm", "rules", "oracle", "exact", "confidence");
        assertThat(catalog.tasks()).extracting(SearchCatalog.TaskInfo::name).containsExactly("arithmetic");
        assertThat(catalog.aggregations()).containsExactly("last", "min", "prod", "mean");
    }

    @Test
    void theRulesOfTheWireLiveHereToo() {
        refused(request("1+2\u0000", MethodSpec.of("best_of_n"), List.of(), OK, null, null), "question", "not valid Unicode");
        refused(request("1+\ud800", MethodSpec.of("best_of_n"), List.of(), OK, null, null), "question", "not valid Unicode");
        refused(strategy("b".repeat(65), Map.of()), "strategy.name", "longer than 64 characters");
        refused(strategy("best_of_n", Map.of("n", "1".repeat(257))), "strategy.params", "values longer than 256");
        refused(request("1+2", MethodSpec.of("best_of_n"), java.util.Collections.nCopies(17, MethodSpec.of("consensus")), OK,
                null, null), "policies", "more than 16");
        refused(new SearchRequest(null, "1+2", MethodSpec.of("best_of_n"), List.of(), OK, null, null, null), "request_id",
                "required: 1..128 characters of [A-Za-z0-9._:-]");
        refused(new SearchRequest("x".repeat(129), "1+2", MethodSpec.of("best_of_n"), List.of(), OK, null, null, null),
                "request_id", "must be 1..128 characters");
        assertThat(RequestId.problem("job-1:a.b_c")).isNull();
    }

    @Test
    void aPreparedSearchRunsOnceAndOnlyOnTheRunnerThatPreparedIt() {
        PreparedSearch prepared = runner.prepare(request("1+2", MethodSpec.of("best_of_n"), List.of(), OK, null, null));
        assertThat(prepared.request().task()).isEqualTo("arithmetic");
        SearchRunner other = new SearchRunner(new SimulatedGenerator(0), SimulatedPrm.standard(), SearchSettings.defaults());
        assertThatThrownBy(() -> other.run(prepared, e -> { })).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prepared by another runner");
        PreparedSearch bounded = prepared.withDeadlineAtMost(Duration.ofSeconds(3));
        assertThat(bounded.request().budget()).isEqualTo(new Budget(1000, 100, Duration.ofSeconds(3)));
        assertThat(prepared.withDeadlineAtMost(Duration.ofMinutes(1))).isSameAs(prepared);
        assertThat(runner.run(bounded, e -> { }).budget().deadline()).isEqualTo(Duration.ofSeconds(3));
        // the bounded search is the same search: neither runs twice
        assertThatThrownBy(() -> runner.run(prepared, e -> { })).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("prepare the request again");
    }
}
