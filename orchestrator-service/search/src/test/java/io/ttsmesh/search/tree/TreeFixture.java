package io.ttsmesh.search.tree;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.budget.BudgetMeter;
import io.ttsmesh.search.budget.BudgetedScorer;
import io.ttsmesh.search.budget.BudgetedSession;
import io.ttsmesh.search.events.EventLog;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;
import io.ttsmesh.search.sim.Recorded;
import io.ttsmesh.search.sim.ScriptedGenerator;
import io.ttsmesh.search.sim.ScriptedScorer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/** A search tree over a scripted generator and verifier, as a strategy sees it, with what it emitted. */
final class TreeFixture {

    static final Budget GENEROUS = new Budget(10_000, 100, Duration.ofMinutes(1));

    final ScriptedGenerator generator;
    final ScriptedScorer scorer = new ScriptedScorer(step -> step.contains("good") ? 0.9 : 0.2);
    final Recorded events = new Recorded();
    final SearchTree tree;

    TreeFixture(Function<Long, List<String>> script, Budget budget, Policy... policies) {
        generator = new ScriptedGenerator(script);
        SamplingParams sampling = new SamplingParams(null, null, null, 1L, 0);
        SearchRequest request = new SearchRequest("tree-test", "1+2", MethodSpec.of("best_of_n"), List.of(), budget,
                sampling, "prm", Aggregation.LAST);
        Clock clock = Clock.systemUTC();
        BudgetMeter meter = new BudgetMeter(budget, clock.instant(), clock);
        tree = new SearchTree(request, SearchSettings.defaults(),
                new BudgetedSession(generator.open("tree-test", meter.deadline()), meter),
                new BudgetedScorer(scorer, meter, "tree-test", "prm", "1+2"), meter,
                new EventLog("tree-test", events, meter::spend, clock), List.of(policies), new Random(1), sampling);
    }

    TreeFixture(Function<Long, List<String>> script, Policy... policies) {
        this(script, GENEROUS, policies);
    }

    ScriptedGenerator.Session session() {
        return generator.last();
    }

    /** The branches pruned, as "id by: reason". */
    List<String> pruned() {
        return events.of(SearchEvent.BranchPruned.class).stream()
                .map(p -> p.branchId() + " " + p.by() + ": " + p.reason()).toList();
    }
}
