package io.ttsmesh.search.routing;

import io.ttsmesh.search.InvalidSearchRequest;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.run.SearchRunner;
import io.ttsmesh.search.settings.RoutingTable;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.run.ServedTask;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.catalog.MethodInfo;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;
import io.ttsmesh.search.scoring.Candidate;
import io.ttsmesh.search.scoring.CandidateScores;
import io.ttsmesh.search.scoring.StepScorer;
import io.ttsmesh.search.sim.Recorded;
import io.ttsmesh.search.sim.ScriptedGenerator;
import io.ttsmesh.search.sim.SimulatedGenerator;
import io.ttsmesh.search.sim.SimulatedPrm;
import io.ttsmesh.task.TaskRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The routed strategy on a runner serving arithmetic and Countdown with the table of {@code routing/tasks-small.json}:
 * each question runs the route of its task and difficulty at the row of its budget.
 */
class RoutedSelectorTest {

    private static final TaskRegistry TASKS = TaskRegistry.load();
    private static final Budget BUDGET = new Budget(10_000, 1_000, Duration.ofSeconds(30));
    private static final String FOUR_NUMBERS = "3 5 2 1 -> 16";

    private final Verifiers arithmeticScorer = new Verifiers(SimulatedPrm.standard());
    private final Verifiers countdownScorer = new Verifiers((id, v, q, candidates, d) -> candidates.stream()
            .map(c -> new CandidateScores(c.id(), ones(c), null, null)).toList());
    private final SearchRunner runner = runner(RoutingTableTest.table());

    private SearchRunner runner(RoutingTable table) {
        SearchSettings settings = SearchSettings.defaults().toBuilder().routingTable(table).build();
        return new SearchRunner(TASKS, List.of(
                ServedTask.of(TASKS.get("arithmetic"), new SimulatedGenerator(0.0), arithmeticScorer, settings),
                ServedTask.of(TASKS.get("countdown"), new ScriptedGenerator(
                        id -> List.of("3+5=8; 2 1 8", "8*2=16; 1 16", "16*1=16; 16", "A: 16")), countdownScorer, settings)));
    }

    private static SearchRequest routed(String task, String question, Map<String, String> params, long maxTokens,
                                        String verifier, Aggregation aggregation) {
        return new SearchRequest("routed-1", question, MethodSpec.of(RoutedSelector.NAME, params), List.of(),
                new Budget(maxTokens, BUDGET.maxVerifierCalls(), BUDGET.deadline()),
                new SamplingParams(null, null, null, 7L, 0), verifier, aggregation, task);
    }

    @Test
    void aFourNumberCountdownQuestionRunsTheFourNumberRouteAndEventsNameSelectorAndRoute() {
        Recorded events = new Recorded();
        SearchResult r = runner.run(routed("countdown", " 3 5 2 1 ->16", Map.of(), 10_000, null, null), events);
        events.assertWellFormed(r);
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);

        SearchEvent.Started started = events.of(SearchEvent.Started.class).getFirst();
        assertThat(started.strategy()).isEqualTo(MethodSpec.of("routed", Map.of("mean_tokens", "0")));
        assertThat(started.question()).isEqualTo(FOUR_NUMBERS);
        assertThat(started.verifier()).isEqualTo("rules");
        SearchEvent.PolicyDecision route = events.of(SearchEvent.PolicyDecision.class).getFirst();
        assertThat(route.policy()).isEqualTo("routed");
        assertThat(route.action()).isEqualTo("route");
        assertThat(route.reason()).contains("table unit-test-routes", "row 600 mean tokens (asked 10000)",
                "difficulty 4", "route countdown 4", "best_of_n", "with verifier rules", "run best_of_n+rules@5");
        assertThat(route.values()).containsEntry("difficulty", 4.0).containsEntry("row_mean_tokens", 600.0)
                .containsEntry("route_any_difficulty", 0.0);
        assertThat(events.events().get(1).payload()).isEqualTo(route); // right after Started, before any branch

        assertThat(r.strategy().name()).isEqualTo("best_of_n");
        assertThat(r.strategy().params()).containsEntry("n", "5");
        assertThat(r.spend().branches()).isEqualTo(5);
        assertThat(countdownScorer.verifiers).containsOnly("rules");
        assertThat(arithmeticScorer.verifiers).isEmpty();
        assertThat(r.answer()).isEqualTo(TASKS.get("countdown").answerKey("3+5=8; 2 1 8\n8*2=16; 1 16\n16*1=16; 16\nA: 16"));
    }

    @Test
    void theOtherCountdownDifficultiesGetTheirOwnRoutes() {
        assertThat(ran("countdown", "3 5 2 -> 16", Map.of(), 10_000).strategy())
                .isEqualTo(MethodSpec.of("self_consistency", Map.of("n", "3")));
        SearchResult five = ran("countdown", "3 5 2 1 1 -> 16", Map.of(), 10_000);
        assertThat(five.strategy().name()).isEqualTo("beam_search");
        assertThat(countdownScorer.verifiers).containsOnly("rules+prm");
    }

    @Test
    void theRowIsTheBudgetsOrMeanTokensLargestRowNotAboveIt() {
        // budget.max_tokens picks the row when mean_tokens is 0
        assertThat(ran("countdown", FOUR_NUMBERS, Map.of(), 600).strategy().name()).isEqualTo("best_of_n");
        assertThat(ran("countdown", FOUR_NUMBERS, Map.of(), 599).strategy())
                .isEqualTo(MethodSpec.of("self_consistency", Map.of("n", "2")));
        assertThat(ran("countdown", FOUR_NUMBERS, Map.of(), 20).strategy().params()).containsEntry("n", "2");
        // mean_tokens names the row whatever the hard budget
        assertThat(ran("countdown", FOUR_NUMBERS, Map.of("mean_tokens", "150"), 10_000).strategy().params())
                .containsEntry("n", "2");
        assertThat(ran("countdown", FOUR_NUMBERS, Map.of("mean_tokens", "5000"), 700).strategy().name())
                .isEqualTo("best_of_n");
    }

    @Test
    void anArithmeticQuestionWithoutACellOfItsOwnTakesItsTasksRouteWithItsVerifierAndAggregation() {
        Recorded events = new Recorded();
        SearchResult r = runner.run(routed(null, "(17+25)*3-14", Map.of(), 10_000, null, null), events);
        SearchEvent.Started started = events.of(SearchEvent.Started.class).getFirst();
        assertThat(started.task()).isEqualTo("arithmetic");
        assertThat(started.verifier()).isEqualTo("prm");
        assertThat(started.aggregation()).isEqualTo("min");
        assertThat(r.strategy().name()).isEqualTo("best_of_n");
        assertThat(events.of(SearchEvent.PolicyDecision.class).getFirst().values()).containsEntry("difficulty", 3.0)
                .containsEntry("route_any_difficulty", 1.0);
        SearchResult two = ran("arithmetic", "53+(50+20)", Map.of(), 10_000);
        assertThat(two.strategy()).isEqualTo(MethodSpec.of("self_consistency", Map.of("n", "2")));
    }

    @Test
    void aQuestionTheTableHasNoRouteForIsRefusedNamingTheField() {
        refused(runner, routed("countdown", "3 5 2 1 1 -> 16", Map.of("mean_tokens", "150"), 10_000, null, null),
                "question", "has no route for countdown questions of difficulty 5", "difficulties 3, 4");
        RoutingTable arithmeticOnly = new RoutingTable("arith", null, List.of(new RoutingTable.Row(100, List.of(
                new RoutingTable.Route("arithmetic", null, MethodSpec.of("best_of_n"), null, null, null, null, null, null)),
                null, null)));
        refused(runner(arithmeticOnly), routed("countdown", FOUR_NUMBERS, Map.of(), 10_000, null, null), "task",
                "has no route for task countdown (it routes arithmetic)");
    }

    @Test
    void aVerifierOrAggregationOtherThanTheRoutesIsRefusedTheSameOnesAreAccepted() {
        refused(runner, routed("countdown", FOUR_NUMBERS, Map.of(), 10_000, "prm", null), "verifier",
                "route's verifier rules");
        refused(runner, routed("arithmetic", "(17+25)*3-14", Map.of(), 10_000, null, Aggregation.LAST), "aggregation",
                "route's aggregation min");
        SearchRequest canonical = runner.canonical(routed("countdown", FOUR_NUMBERS, Map.of(), 10_000, null, null));
        assertThat(canonical.verifier()).isEqualTo("rules");
        assertThat(canonical.strategy().name()).isEqualTo("routed");
        // the app validates the canonical request again before it runs it
        assertThat(runner.run(canonical, null).strategy().name()).isEqualTo("best_of_n");
        refused(runner, routed("countdown", FOUR_NUMBERS, Map.of("mean_tokens", "-1"), 10_000, null, null),
                "strategy.params.mean_tokens", "must be in [0");
        refused(runner, routed("countdown", FOUR_NUMBERS, Map.of("rows", "1"), 10_000, null, null),
                "strategy.params.rows", "unknown parameter of routed");
    }

    @Test
    void theCatalogListsTheSelectorOnlyWhereATableIsConfigured() {
        assertThat(runner.catalog().strategies()).extracting(MethodInfo::name).contains("best_of_n", "routed");
        MethodInfo info = runner.catalog().strategies().stream().filter(m -> m.name().equals("routed")).findFirst()
                .orElseThrow();
        assertThat(info.params()).extracting(p -> p.name() + ":" + p.defaultValue()).containsExactly("mean_tokens:0");
        SearchRunner plain = new SearchRunner(new SimulatedGenerator(0), SimulatedPrm.standard(), SearchSettings.defaults());
        assertThat(plain.catalog().strategies()).extracting(MethodInfo::name).doesNotContain("routed");
        refused(plain, routed(null, "1+2", Map.of(), 10_000, null, null), "strategy.name", "needs a routing table");
    }

    @Test
    void theRunnerRefusesATableWhoseRoutesCannotRunHere() {
        RoutingTable t = RoutingTable.parse(RoutingTableTest.text().replace("\"beam_search\"", "\"beam_serch\""));
        assertThatThrownBy(() -> runner(t)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("route countdown 5").hasMessageContaining("beam_serch");
        RoutingTable badWidth = RoutingTable.parse(RoutingTableTest.text().replace("\"width\": \"2\"", "\"width\": \"3\""));
        assertThatThrownBy(() -> runner(badWidth)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strategy.params.width");
        RoutingTable badVerifier = RoutingTable.parse(RoutingTableTest.text().replace("\"rules+prm\"", "\"rules+orb\""));
        assertThatThrownBy(() -> runner(badVerifier)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown verifier 'orb'");
    }

    private SearchResult ran(String task, String question, Map<String, String> params, long maxTokens) {
        Recorded events = new Recorded();
        SearchResult r = runner.run(routed(task, question, params, maxTokens, null, null), events);
        events.assertWellFormed(r);
        return r;
    }

    private static void refused(SearchRunner runner, SearchRequest r, String field, String... parts) {
        assertThatThrownBy(() -> runner.validate(r)).isInstanceOfSatisfying(InvalidSearchRequest.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(parts);
        });
        assertThatThrownBy(() -> runner.run(r, e -> {
            throw new AssertionError("no event for an invalid request");
        })).isInstanceOf(InvalidSearchRequest.class);
    }

    private static float[] ones(Candidate c) {
        float[] s = new float[c.lastStepOnly() ? 1 : c.steps().size()];
        java.util.Arrays.fill(s, 1f);
        return s;
    }

    /** A scorer that records the verifier names it was asked for. */
    private static final class Verifiers implements StepScorer {
        final List<String> verifiers = Collections.synchronizedList(new ArrayList<>());
        private final StepScorer scorer;

        Verifiers(StepScorer scorer) {
            this.scorer = scorer;
        }

        @Override
        public List<CandidateScores> score(String requestId, String verifier, String question, List<Candidate> candidates,
                                           Instant deadline) {
            verifiers.add(verifier);
            return scorer.score(requestId, verifier, question, candidates, deadline);
        }
    }
}
