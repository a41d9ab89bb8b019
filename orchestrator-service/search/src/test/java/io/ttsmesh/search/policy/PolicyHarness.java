package io.ttsmesh.search.policy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.run.SearchRunner;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;
import io.ttsmesh.search.sim.Recorded;
import io.ttsmesh.search.sim.ScriptedGenerator;
import io.ttsmesh.search.sim.ScriptedScorer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs one search on scripts and checks the accounting every search must get right. */
final class PolicyHarness {

    final ScriptedGenerator generator;
    final ScriptedScorer scorer;
    final Recorded events = new Recorded();
    SearchResult result;

    PolicyHarness(ScriptedGenerator generator, ScriptedScorer scorer) {
        this.generator = generator;
        this.scorer = scorer;
    }

    SearchResult run(String strategy, Map<String, String> params, MethodSpec... policies) {
        return run(new Budget(100_000, 1000, Duration.ofSeconds(30)), strategy, params, policies);
    }

    SearchResult run(Budget budget, String strategy, Map<String, String> params, MethodSpec... policies) {
        SearchRunner runner = new SearchRunner(generator, scorer, SearchSettings.defaults());
        SearchRequest request = new SearchRequest("policy-test", "1+2", MethodSpec.of(strategy, params), List.of(policies),
                budget, new SamplingParams(null, null, null, 1L, 0), "prm", Aggregation.LAST);
        result = runner.run(request, events);
        events.assertWellFormed(result);
        ScriptedGenerator.Session session = generator.last();
        assertThat(session.closed()).isTrue();
        assertThat(result.spend().generatedTokens()).isEqualTo(session.generatedTokens());
        assertThat(result.spend().prefillTokens()).isEqualTo(session.prefillTokens());
        assertThat((long) result.spend().verifierCalls()).isEqualTo(scorer.candidates());
        return result;
    }

    List<SearchEvent.PolicyDecision> decisions(String policy) {
        return events.of(SearchEvent.PolicyDecision.class).stream().filter(d -> d.policy().equals(policy)).toList();
    }

    List<Long> prunedBy(String by) {
        return events.of(SearchEvent.BranchPruned.class).stream().filter(p -> p.by().equals(by))
                .map(SearchEvent.BranchPruned::branchId).toList();
    }
}
