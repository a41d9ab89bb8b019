package io.ttsmesh.search.run;

import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.scoring.Candidate;
import io.ttsmesh.search.scoring.CandidateScores;
import io.ttsmesh.search.scoring.ScoringException;
import io.ttsmesh.search.scoring.StepScorer;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.sim.Recorded;
import io.ttsmesh.search.sim.Requests;
import io.ttsmesh.search.sim.SimulatedGenerator;
import io.ttsmesh.search.sim.SimulatedPrm;
import io.ttsmesh.search.sim.SimulatedSession;
import io.ttsmesh.search.status.StatusCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Degraded mode per strategy family: the verifier answers some calls, then is gone (UNAVAILABLE, as the pod
 * clients report it after their retries); the search answers by an unscored vote and says so, unless forbidden.
 */
class DegradedModeTest {

    /** A PRM that answers {@code healthyCalls} calls, then is UNAVAILABLE. */
    static final class VanishingVerifier implements StepScorer {
        private final SimulatedPrm prm = SimulatedPrm.standard();
        private final int healthyCalls;
        private final AtomicInteger refused = new AtomicInteger();

        VanishingVerifier(int healthyCalls) {
            this.healthyCalls = healthyCalls;
        }

        @Override
        public List<CandidateScores> score(String requestId, String verifier, String question, List<Candidate> asked,
                                           Instant deadline) {
            if (prm.calls() >= healthyCalls) {
                refused.incrementAndGet();
                throw new ScoringException(StatusCode.UNAVAILABLE, "every verifier pod is unavailable");
            }
            return prm.score(requestId, verifier, question, asked, deadline);
        }
    }

    static Stream<Arguments> verifierGuided() {
        return Stream.of(
                // sample-then-score: everything finished before the verifier is asked
                Arguments.of("best_of_n", Map.of("n", "8"), 0),
                Arguments.of("weighted_best_of_n", Map.of("n", "8"), 0),
                // step searches: the verifier goes after the first step, the live beams/particles go on unscored
                Arguments.of("beam_search", Map.of("n", "8", "width", "4"), 1),
                Arguments.of("dvts", Map.of("n", "8", "width", "4"), 1),
                Arguments.of("particle_filter", Map.of("n", "8"), 1),
                // tree searches: open nodes are completed to their end
                Arguments.of("best_first", Map.of("k", "4", "max_expansions", "8"), 1),
                Arguments.of("mcts", Map.of("k", "4", "iterations", "6"), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verifierGuided")
    void aLostVerifierGivesAnUnscoredVoteFlaggedDegraded(String strategy, Map<String, String> params, int healthyCalls) {
        SimulatedGenerator generator = new SimulatedGenerator(0.2);
        VanishingVerifier verifier = new VanishingVerifier(healthyCalls);
        SearchRunner runner = new SearchRunner(generator, verifier, SearchSettings.defaults());
        Recorded events = new Recorded();

        SearchResult r = runner.run(Requests.of("(17+25)*3-14", strategy, params, Requests.generous()), events);

        events.assertWellFormed(r);
        assertThat(r.stopReason()).isEqualTo(StopReason.DEGRADED);
        assertThat(r.errorCode()).isNull();
        assertThat(r.stopDetail()).startsWith("degraded mode: no verifier answered").contains("UNAVAILABLE");
        assertThat(r.answer()).isNotNull();
        // the majority's answer, counted over every finished solution
        assertThat(r.answers().get(0).answer()).isEqualTo(r.answer());
        int votes = r.answers().stream().mapToInt(SearchResult.AnswerTally::votes).sum();
        assertThat(r.answers()).allSatisfy(t -> assertThat(t.votes()).isLessThanOrEqualTo(r.answers().get(0).votes()));
        List<SearchEvent.PolicyDecision> degraded = events.of(SearchEvent.PolicyDecision.class).stream()
                .filter(d -> d.policy().equals(SearchRun.DEGRADED_POLICY)).toList();
        assertThat(degraded).singleElement().satisfies(d -> assertThat(d.action()).isEqualTo(SearchRun.DEGRADED_ACTION));
        // the verifier is asked once after it is gone, never again
        assertThat(verifier.refused.get()).isEqualTo(1);
        // with a generous budget every live branch was sampled to its end: none stopped by the search, all voted
        assertThat(events.of(SearchEvent.BranchFinished.class)).noneMatch(f -> f.end().equals("stopped"));
        long finishedWithAnswer = events.of(SearchEvent.BranchFinished.class).stream()
                .filter(f -> f.answer() != null).count();
        assertThat((long) votes).isPositive().isLessThanOrEqualTo(finishedWithAnswer);
        SimulatedSession session = generator.lastSession();
        assertThat(session.closed()).isTrue();
        assertThat(r.spend().generatedTokens()).isEqualTo(session.generatedTokens());
        assertThat(r.spend().prefillTokens()).isEqualTo(session.prefillTokens());
        assertThat(r.spend().verifierCalls()).isEqualTo(verifier.prm.candidates());
    }

    @Test
    void liveBeamsAreContinuedToTheirEndAndVote() {
        SimulatedGenerator generator = new SimulatedGenerator(0.2);
        VanishingVerifier verifier = new VanishingVerifier(1);
        Recorded events = new Recorded();
        SearchResult r = new SearchRunner(generator, verifier, SearchSettings.defaults())
                .run(Requests.of("(17+25)*3-14", "beam_search", Map.of("n", "8", "width", "4"), Requests.generous()), events);

        SearchEvent.PolicyDecision d = events.of(SearchEvent.PolicyDecision.class).stream()
                .filter(p -> p.policy().equals(SearchRun.DEGRADED_POLICY)).findFirst().orElseThrow();
        assertThat(d.values()).containsEntry("live", 8.0).containsEntry("finished", 0.0);
        assertThat(d.branchIds()).hasSize(8);
        assertThat(r.answers().stream().mapToInt(SearchResult.AnswerTally::votes).sum()).isEqualTo(8);
        assertThat(r.stopDetail()).contains("over 8 finished solutions (8 of them continued after the verifier was lost)");
    }

    @Test
    void aRequestThatForbidsItFailsUnavailableAsBefore() {
        VanishingVerifier verifier = new VanishingVerifier(1);
        Recorded events = new Recorded();
        SearchRequest forbidding = Requests.of("(17+25)*3-14", "beam_search", Map.of("n", "8", "width", "4"),
                Requests.generous()).withAllowDegraded(false);
        SearchResult r = new SearchRunner(new SimulatedGenerator(0.2), verifier, SearchSettings.defaults()).run(forbidding, events);

        events.assertWellFormed(r);
        assertThat(r.stopReason()).isEqualTo(StopReason.FAILED);
        assertThat(r.errorCode()).isEqualTo("UNAVAILABLE");
        assertThat(events.of(SearchEvent.PolicyDecision.class)).noneMatch(p -> p.policy().equals(SearchRun.DEGRADED_POLICY));
    }

    @Test
    void thePodDefaultDecidesWhenTheRequestDoesNotAndTheRequestWins() {
        SearchSettings off = SearchSettings.defaults().toBuilder().degradedMode(false).build();
        SearchRequest unsaid = Requests.of("12*4+7-9", "best_of_n", Map.of("n", "4"), Requests.generous());

        SearchResult byDefault = new SearchRunner(new SimulatedGenerator(0.2), new VanishingVerifier(0), off).run(unsaid, e -> { });
        assertThat(byDefault.stopReason()).isEqualTo(StopReason.FAILED);
        assertThat(byDefault.errorCode()).isEqualTo("UNAVAILABLE");

        SearchResult allowed = new SearchRunner(new SimulatedGenerator(0.2), new VanishingVerifier(0), off)
                .run(unsaid.withAllowDegraded(true), e -> { });
        assertThat(allowed.stopReason()).isEqualTo(StopReason.DEGRADED);
        assertThat(allowed.answer()).isNotNull();
    }

    @Test
    void aVerifierRefusingForAnotherReasonStillFails() {
        StepScorer broken = (requestId, verifier, question, asked, deadline) -> {
            throw new ScoringException(StatusCode.INTERNAL, "verifier bug");
        };
        SearchResult r = new SearchRunner(new SimulatedGenerator(0.2), broken, SearchSettings.defaults())
                .run(Requests.of("1+2", "best_of_n", Map.of("n", "4"), Requests.generous()), e -> { });
        assertThat(r.stopReason()).isEqualTo(StopReason.FAILED);
        assertThat(r.errorCode()).isEqualTo("INTERNAL");
    }
}
