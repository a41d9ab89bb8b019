package io.ttsmesh.search.run;

import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.sim.Recorded;
import io.ttsmesh.search.sim.Requests;
import io.ttsmesh.search.sim.SimulatedGenerator;
import io.ttsmesh.search.sim.SimulatedPrm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scoring sent ahead (SearchSettings.scoreAhead): the first half of a round's finished samples, or of a step's
 * completed branches when scoring is slow enough to be worth splitting, is scored while the others still generate. It
 * changes when the verifier is asked, never what the search decides: the same seed gives the same search, with every
 * branch scored once, as when each round is scored after it.
 */
class ScoreAheadTest {

    private record Run(SearchResult result, List<SearchEvent.BranchScored> scored, SimulatedPrm prm) {
    }

    private static Run run(SearchRequest request, boolean scoreAhead) {
        return run(request, scoreAhead, SimulatedPrm.standard());
    }

    private static Run run(SearchRequest request, boolean scoreAhead, SimulatedPrm prm) {
        SimulatedGenerator generator = new SimulatedGenerator(0.25);
        SearchSettings settings = SearchSettings.defaults().toBuilder().scoreAhead(scoreAhead).build();
        Recorded events = new Recorded();
        SearchResult result = new SearchRunner(generator, prm, settings).run(request, events);
        events.assertWellFormed(result);
        assertThat(generator.lastSession().closed()).isTrue();
        assertThat((long) result.spend().verifierCalls()).isEqualTo(prm.candidates());
        return new Run(result, events.of(SearchEvent.BranchScored.class), prm);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "best_of_n; n=8",
            "weighted_best_of_n; n=8",
            "beam_search; n=8,width=4",
            "dvts; n=8,width=4",
            "particle_filter; n=8",
            "best_first; k=4,parallel=2",
            "mcts; k=4,parallel=2"})
    void theSameSeedGivesTheSameSearchWithFewerCallsWaitedFor(String strategy, String params) {
        for (long seed : new long[] {1, 2}) {
            for (String question : Requests.QUESTIONS.subList(0, 3)) {
                SearchRequest request = Requests.of(question, strategy, parse(params), Requests.generous(), seed);
                // a verifier slow enough that steps, not only whole samples, are split
                Run after = run(request, false, SimulatedPrm.taking(3));
                Run ahead = run(request, true, SimulatedPrm.taking(3));
                String what = strategy + " seed " + seed + " " + question;
                assertThat(ahead.result().stopReason()).as(what).isEqualTo(StopReason.COMPLETED);
                assertThat(ahead.result().answer()).as(what).isEqualTo(after.result().answer());
                assertThat(ahead.result().steps()).as(what).isEqualTo(after.result().steps());
                assertThat(ahead.result().score()).as(what).isEqualTo(after.result().score());
                assertThat(ahead.result().answers()).as(what).isEqualTo(after.result().answers());
                assertThat(ahead.result().spend()).as(what).usingRecursiveComparison().ignoringFields("wallMillis")
                        .isEqualTo(after.result().spend());
                // every branch step scored once, to the same score; only the order of the reports moves
                Comparator<SearchEvent.BranchScored> byStep = Comparator.comparingLong(SearchEvent.BranchScored::branchId)
                        .thenComparingInt(SearchEvent.BranchScored::stepIndex);
                assertThat(ahead.scored().stream().sorted(byStep).toList()).as(what)
                        .isEqualTo(after.scored().stream().sorted(byStep).toList());
                assertThat(after.prm().aheadCalls()).isZero();
                assertThat(ahead.prm().awaitedCalls()).as(what).isLessThanOrEqualTo(after.prm().calls());
                assertThat(ahead.prm().aheadCalls()).as(what).isPositive();
            }
        }
    }

    @Test
    void theFirstHalfOfAStepGoesAheadOnceScoringIsSlowEnough() {
        Run beams = run(Requests.of("(4+9)*5-(12-3)*2", "beam_search", Map.of("n", "8", "width", "4"),
                Requests.generous()), true, SimulatedPrm.taking(3));
        // the first step in one call (nothing measured yet); every later step of the 8 beams: 4 sent ahead, the rest
        // asked after the step
        assertThat(beams.prm().aheadSizes()).isNotEmpty().allMatch(size -> size == 4);
        assertThat(beams.prm().awaitedCalls()).isEqualTo(beams.prm().aheadCalls() + 1);
    }

    @Test
    void quickStepScoringIsNotSplitButWholeSamplesAre() {
        Run beams = run(Requests.of("(4+9)*5-(12-3)*2", "beam_search", Map.of("n", "8", "width", "4"),
                Requests.generous()), true);
        assertThat(beams.prm().aheadCalls()).isZero();
        Run samples = run(Requests.of("(4+9)*5-(12-3)*2", "best_of_n", Map.of("n", "8"), Requests.generous()), true);
        assertThat(samples.prm().aheadSizes()).containsExactly(4);
        assertThat(samples.prm().awaitedCalls()).isEqualTo(1);
    }

    @Test
    void fewerThanFourCandidatesAreScoredInOneCall() {
        Run small = run(Requests.of("(4+9)*5-(12-3)*2", "beam_search", Map.of("n", "3", "width", "3"),
                Requests.generous()), true);
        assertThat(small.prm().aheadCalls()).isZero();
        assertThat(small.prm().calls()).isPositive();
    }

    @Test
    void aVerifierBudgetThatCannotCoverTheStepSendsNothingAhead() {
        // 8 samples, 5 verifier calls: nothing is sent ahead, and the final scoring meets the budget as before
        Budget tight = new Budget(100_000, 5, Duration.ofMinutes(1));
        Run ahead = run(Requests.of("(17+25)*3-14", "best_of_n", Map.of("n", "8"), tight), true);
        Run after = run(Requests.of("(17+25)*3-14", "best_of_n", Map.of("n", "8"), tight), false);
        assertThat(ahead.prm().aheadCalls()).isZero();
        assertThat(ahead.result().stopReason()).isEqualTo(after.result().stopReason());
        assertThat(ahead.result().answer()).isEqualTo(after.result().answer());
        assertThat(ahead.result().spend().verifierCalls()).isEqualTo(after.result().spend().verifierCalls());
    }

    private static Map<String, String> parse(String params) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : params.split(",")) {
            String[] kv = pair.split("=");
            map.put(kv[0], kv[1]);
        }
        return map;
    }
}
