package io.ttsmesh.search.strategy;

import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.run.SearchRunner;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.sim.Recorded;
import io.ttsmesh.search.sim.Requests;
import io.ttsmesh.search.sim.SimulatedGenerator;
import io.ttsmesh.search.sim.SimulatedPrm;
import io.ttsmesh.search.sim.SimulatedSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Best-first and MCTS with an expansion budget too small for any branch to finish: they complete their best
 * partial solution instead of answering nothing, say so, and keep within the hard budgets.
 */
class PartialCompletionTest {

    private static final String QUESTION = "(4+9)*5-(12-3)*2";

    private SimulatedGenerator generator;
    private SimulatedPrm prm;

    private SearchResult run(String question, String strategy, Map<String, String> params, Budget budget, long seed,
                             Recorded events) {
        generator = new SimulatedGenerator(0.25);
        prm = SimulatedPrm.standard();
        SearchResult r = new SearchRunner(generator, prm, SearchSettings.defaults())
                .run(Requests.of(question, strategy, params, budget, seed), events);
        events.assertWellFormed(r);
        SimulatedSession session = generator.lastSession();
        assertThat(session.closed()).isTrue();
        assertThat(r.spend().generatedTokens()).isEqualTo(session.generatedTokens()).isLessThanOrEqualTo(budget.maxTokens());
        assertThat((long) r.spend().verifierCalls()).isEqualTo(prm.candidates())
                .isLessThanOrEqualTo(budget.maxVerifierCalls());
        return r;
    }

    private static List<SearchEvent.PolicyDecision> completions(Recorded events, String strategy) {
        return events.of(SearchEvent.PolicyDecision.class).stream()
                .filter(d -> d.policy().equals(strategy) && d.action().equals(PartialCompletion.ACTION)).toList();
    }

    @ParameterizedTest
    @CsvSource({"best_first, max_expansions, 1, 4", "best_first, max_expansions, 2, 2", "best_first, max_expansions, 1, 1",
            "mcts, iterations, 1, 4", "mcts, iterations, 2, 2", "mcts, iterations, 1, 1"})
    void aTinyExpansionBudgetStillAnswersByCompletingTheBestPartialSolution(String strategy, String budgetParam,
                                                                            int expansions, int k) {
        for (String question : Requests.QUESTIONS) {
            for (long seed = 1; seed <= 3; seed++) {
                Recorded events = new Recorded();
                SearchResult r = run(question, strategy, Map.of("k", "" + k, budgetParam, "" + expansions),
                        Requests.generous(), seed, events);
                assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
                assertThat(r.answer()).as("%s on %s, seed %d: %s", strategy, question, seed, r.stopDetail()).isNotNull();
                assertThat(r.steps()).last().isEqualTo("A: " + r.answer());
                // a solution takes 3 to 6 steps: no branch finished within the expansions, so the answer is a completion
                List<SearchEvent.PolicyDecision> completed = completions(events, strategy);
                assertThat(completed).hasSize(1);
                assertThat(completed.get(0).reason()).contains("ran out").contains("to its end");
                assertThat(r.stopDetail()).endsWith(PartialCompletion.NOTE);
                // the completed branch is the chosen one, and it finished in the same search
                long branch = completed.get(0).branchIds().get(0);
                assertThat(r.branchId()).isEqualTo(branch);
                assertThat(events.of(SearchEvent.BranchFinished.class))
                        .anyMatch(f -> f.branchId() == branch && f.end().equals("eos") && r.answer().equals(f.answer()));
            }
        }
    }

    @Test
    void bestFirstCompletesTheHighestPriorityPartialSolution() {
        Recorded events = new Recorded();
        SearchResult r = run(QUESTION, "best_first", Map.of("k", "4", "max_expansions", "2"), Requests.generous(), 7,
                events);
        SearchEvent.PolicyDecision completion = completions(events, "best_first").get(0);
        long completed = completion.branchIds().get(0);
        // the completed branch had the best score among the partial solutions open when the expansions ran out
        Map<Long, Double> lastScores = new HashMap<>();
        int at = events.events().indexOf(events.events().stream().filter(e -> e.payload() == completion).findFirst().orElseThrow());
        for (SearchEvent e : events.events().subList(0, at)) {
            if (e.payload() instanceof SearchEvent.BranchScored s) {
                lastScores.put(s.branchId(), s.aggregate());
            }
        }
        Set<Long> closed = new HashSet<>();
        events.events().subList(0, at).forEach(e -> {
            if (e.payload() instanceof SearchEvent.BranchPruned p) {
                closed.add(p.branchId());
            } else if (e.payload() instanceof SearchEvent.BranchFinished f) {
                closed.add(f.branchId());
            }
        });
        double best = lastScores.entrySet().stream().filter(s -> !closed.contains(s.getKey()))
                .mapToDouble(Map.Entry::getValue).max().orElseThrow();
        assertThat(lastScores.get(completed)).isEqualTo(best);
        assertThat(completion.values().get("priority")).isEqualTo(best);
        assertThat(r.branchId()).isEqualTo(completed);
    }

    /**
     * The paper's stop rule, one node per round: a finished solution usually tops the queue before the expansions run
     * out. Expanding several per round (the default) spends the expansions across the queue, and more of its answers
     * come from the best finished solution when they run out (5 of these 10 questions at {@code parallel} 4).
     */
    @Test
    void aGenerousExpansionBudgetAnswersFromAFinishedSolutionWithoutCompleting() {
        int toppedTheQueue = 0;
        for (String question : Requests.QUESTIONS) {
            Recorded events = new Recorded();
            SearchResult r = run(question, "best_first", Map.of("k", "3", "parallel", "1"), Requests.generous(), 1, events);
            assertThat(r.answer()).isNotNull();
            assertThat(completions(events, "best_first")).isEmpty();
            assertThat(r.stopDetail()).isEqualTo("the strategy ran to its end");
            if (events.of(SearchEvent.PolicyDecision.class).stream()
                    .anyMatch(d -> d.action().equals("choose") && d.branchIds().equals(List.of(r.branchId())))) {
                toppedTheQueue++;
            }
        }
        assertThat(toppedTheQueue).isGreaterThan(Requests.QUESTIONS.size() / 2);
    }

    @ParameterizedTest
    @CsvSource({"best_first, max_expansions", "mcts, iterations"})
    void aTokenBudgetThatCannotCoverTheCompletionStopsTheSearchAndSaysWhy(String strategy, String budgetParam) {
        Map<String, String> params = Map.of("k", "2", budgetParam, "1");
        // the same search with room to spare: what was spent when the completion began
        Recorded free = new Recorded();
        run(QUESTION, strategy, params, Requests.generous(), 3, free);
        SearchEvent announced = free.events().stream()
                .filter(e -> e.payload() instanceof SearchEvent.PolicyDecision d && d.action().equals(PartialCompletion.ACTION))
                .findFirst().orElseThrow();
        long before = announced.spend().generatedTokens();

        Budget tight = new Budget(before + 3, 10_000, Duration.ofMinutes(1));
        Recorded events = new Recorded();
        SearchResult r = run(QUESTION, strategy, params, tight, 3, events);
        assertThat(completions(events, strategy)).hasSize(1);
        assertThat(r.stopReason()).isEqualTo(StopReason.TOKEN_BUDGET);
        assertThat(r.stopDetail()).startsWith("token budget exhausted");
        // the announcement comes first, then the branch's 3 tokens, then the exhaustion
        List<String> order = events.events().stream().map(e -> e.payload().getClass().getSimpleName())
                .filter(c -> c.equals("PolicyDecision") || c.equals("BudgetExhausted")).toList();
        assertThat(order).endsWith("PolicyDecision", "BudgetExhausted");
        assertThat(events.of(SearchEvent.BudgetExhausted.class)).containsExactly(new SearchEvent.BudgetExhausted("tokens"));
        assertThat(r.spend().generatedTokens()).isEqualTo(before + 3);
        assertThat(r.answer()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"best_first, max_expansions, 4", "mcts, iterations, 2"})
    void theCompletionNeedsNoVerifierCallWhenNoneIsLeft(String strategy, String budgetParam, int scored) {
        // k = 2 with one expansion (best-first: 2 + 2 candidates) or one iteration (MCTS: 2): a verifier budget of
        // exactly that leaves no call for the completion
        Budget calls = new Budget(100_000, scored, Duration.ofMinutes(1));
        Recorded events = new Recorded();
        SearchResult r = run(QUESTION, strategy, Map.of("k", "2", budgetParam, "1"), calls, 5, events);
        assertThat(completions(events, strategy)).hasSize(1);
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.answer()).isNotNull();
        assertThat(r.spend().verifierCalls()).isEqualTo(scored);
        SearchEvent announced = events.events().stream()
                .filter(e -> e.payload() instanceof SearchEvent.PolicyDecision d && d.action().equals(PartialCompletion.ACTION))
                .findFirst().orElseThrow();
        assertThat(events.events().subList(events.events().indexOf(announced), events.events().size()))
                .as("the completion is not scored").noneMatch(e -> e.payload() instanceof SearchEvent.BranchScored);
    }
}
