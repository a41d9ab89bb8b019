package io.ttsmesh.orchestrator.pods;

import io.grpc.Status;
import io.ttsmesh.orchestrator.testing.ScriptedVerifier;
import io.ttsmesh.search.scoring.Candidate;
import io.ttsmesh.search.scoring.CandidateScores;
import io.ttsmesh.search.scoring.ScoringException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.WithTestResource;
import io.ttsmesh.orchestrator.testing.KafkaBrokerResource;
import io.ttsmesh.orchestrator.testing.ScriptedMeshResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ScoreSteps client against scripted verifiers over real gRPC on loopback: mapping, retries, failover. */
@QuarkusTest
@WithTestResource(ScriptedMeshResource.class)
@WithTestResource(KafkaBrokerResource.class)
class GrpcStepScorerTest {

    private ScriptedVerifier first;
    private ScriptedVerifier second;
    private EndpointGroup group;
    private GrpcStepScorer scorer;

    @BeforeEach
    void start() throws Exception {
        first = new ScriptedVerifier("ver-a");
        second = new ScriptedVerifier("ver-b");
        group = new EndpointGroup("verifier", List.of(first.address(), second.address()));
        scorer = new GrpcStepScorer(group, Duration.ofSeconds(5), 2, Duration.ofMillis(10), 10, 0.5, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        group.shutdown();
        first.close();
        second.close();
    }

    private static final List<Candidate> CANDIDATES = List.of(
            Candidate.allSteps("1", List.of("2+3=5", "A: 5")),
            Candidate.newestStep("2", List.of("2+3=6", "A: 6")),
            Candidate.allSteps("3", List.of()));

    @Test
    void scoresInRequestOrderWithPerCandidateErrors() {
        List<CandidateScores> scores = scorer.score("r1", "prm", "2+3", CANDIDATES, Instant.now().plusSeconds(5));
        assertThat(scores).extracting(CandidateScores::id).containsExactly("1", "2", "3");
        assertThat(scores.get(0).stepScores()).containsExactly(0.9f, 0.9f);
        assertThat(scores.get(1).stepScores()).containsExactly(0.1f);
        assertThat(scores.get(2).ok()).isFalse();
        assertThat(scores.get(2).errorCode()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void aTasksScorerNamesItsTaskInEveryRequest() {
        var countdown = new GrpcStepScorer(group, "countdown", Duration.ofSeconds(5), 2, Duration.ofMillis(10), 10, 0.5,
                Duration.ofSeconds(5));
        List<CandidateScores> scores = countdown.score("r1", "rules", "3 5 8 -> 16", List.of(
                Candidate.allSteps("right", List.of("3+5=8; 8 8", "8+8=16; 16", "A: 16")),
                Candidate.allSteps("wrong", List.of("3+5=8; 8 8", "8+8=17; 17"))), Instant.now().plusSeconds(5));
        assertThat(scores.get(0).stepScores()).containsExactly(0.9f, 0.9f, 0.9f);
        assertThat(scores.get(1).stepScores()).containsExactly(0.9f, 0.1f);
        scorer.score("r2", "prm", "2+3", CANDIDATES, Instant.now().plusSeconds(5));
        List<String> tasks = new java.util.ArrayList<>(first.tasks());
        tasks.addAll(second.tasks());
        assertThat(tasks).containsExactlyInAnyOrder("countdown", "");
    }

    @Test
    void anUnavailablePodIsRetriedOnTheOther() {
        first.failNext(100, Status.UNAVAILABLE);
        for (int i = 0; i < 4; i++) {
            assertThat(scorer.score("r" + i, "prm", "2+3", CANDIDATES, Instant.now().plusSeconds(5))).hasSize(3);
        }
        assertThat(second.candidatesScored()).isEqualTo(12);
    }

    @Test
    void aPodThatCancelsTheCallIsALostPodAndIsRetriedOnTheOther() {
        first.failNext(100, Status.CANCELLED); // what a server shutting down answers the calls in flight
        for (int i = 0; i < 4; i++) {
            assertThat(scorer.score("r" + i, "prm", "2+3", CANDIDATES, Instant.now().plusSeconds(5))).hasSize(3);
        }
        assertThat(second.candidatesScored()).isEqualTo(12);
    }

    @Test
    void givesUpWithTheLastStatusAfterTheRetries() {
        first.failNext(100, Status.UNAVAILABLE);
        second.failNext(100, Status.UNAVAILABLE);
        assertThatThrownBy(() -> scorer.score("r", "prm", "2+3", CANDIDATES, Instant.now().plusSeconds(5)))
                .isInstanceOfSatisfying(ScoringException.class, e -> assertThat(e.code()).isEqualTo("UNAVAILABLE"));
        assertThat(first.calls() + second.calls()).isEqualTo(3); // one call and two retries
    }

    @Test
    void aBadRequestIsNotRetried() {
        assertThatThrownBy(() -> scorer.score("r", "prm", "no sum here", CANDIDATES, Instant.now().plusSeconds(5)))
                .isInstanceOfSatisfying(ScoringException.class, e -> assertThat(e.code()).isEqualTo("INVALID_ARGUMENT"));
        assertThat(first.calls() + second.calls()).isEqualTo(1);
    }

    @Test
    void nothingIsCalledAfterTheDeadline() {
        assertThatThrownBy(() -> scorer.score("r", "prm", "2+3", CANDIDATES, Instant.now().minusMillis(1)))
                .isInstanceOfSatisfying(ScoringException.class, e -> assertThat(e.code()).isEqualTo("DEADLINE_EXCEEDED"));
        assertThat(first.calls() + second.calls()).isZero();
    }
}
