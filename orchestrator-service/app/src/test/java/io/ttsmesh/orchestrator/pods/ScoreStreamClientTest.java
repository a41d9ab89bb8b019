package io.ttsmesh.orchestrator.pods;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.orchestrator.testing.KafkaBrokerResource;
import io.ttsmesh.orchestrator.testing.ScriptedMeshResource;
import io.ttsmesh.orchestrator.testing.ScriptedVerifier;
import io.ttsmesh.search.scoring.Candidate;
import io.ttsmesh.search.scoring.CandidateScores;
import io.ttsmesh.search.scoring.ScoringException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * GrpcStepScorer's long-lived ScoreStream over real gRPC on loopback: one stream per pod shared by concurrent
 * searches, refusals as errors, a pod dying with calls waiting on its stream (they go to the other pod), and pods
 * without ScoreStream served by unary calls.
 */
@QuarkusTest // SmallRye Fault Tolerance's guards need the container; its scripted mesh is not used here.
@WithTestResource(ScriptedMeshResource.class)
@WithTestResource(KafkaBrokerResource.class)
class ScoreStreamClientTest {

    private static final List<Candidate> CANDIDATES = List.of(Candidate.allSteps("1", List.of("2+3=5", "A: 5")));

    private static GrpcStepScorer scorer(EndpointGroup group) {
        return new GrpcStepScorer(group, Duration.ofSeconds(5), 2, Duration.ofMillis(10), 10, 0.5, Duration.ofSeconds(5));
    }

    @Test
    void concurrentSearchesShareOneStreamPerPod() throws Exception {
        try (StreamingVerifier pod = new StreamingVerifier(false)) {
            EndpointGroup group = new EndpointGroup("verifier", List.of(pod.address()));
            try {
                GrpcStepScorer scorer = scorer(group);
                List<CompletableFuture<List<CandidateScores>>> calls = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    String id = "s" + i;
                    calls.add(CompletableFuture.supplyAsync(() -> scorer.score(id, "prm", "2+3", CANDIDATES,
                            Instant.now().plusSeconds(10)), r -> Thread.ofVirtual().start(r)));
                }
                for (var call : calls) {
                    assertThat(call.get(20, TimeUnit.SECONDS).getFirst().stepScores()).containsExactly(0.5f, 0.5f);
                }
                assertThat(pod.requests()).isEqualTo(32);
                assertThat(pod.streams()).isEqualTo(1);
                assertThatThrownBy(() -> scorer.score("r", "prm", "refuse", CANDIDATES, Instant.now().plusSeconds(5)))
                        .isInstanceOfSatisfying(ScoringException.class, e -> {
                            assertThat(e.code()).isEqualTo("INVALID_ARGUMENT");
                            assertThat(e.getMessage()).contains("not for this pod");
                        });
                assertThat(pod.streams()).as("a refusal leaves the stream open").isEqualTo(1);
            } finally {
                group.shutdown();
            }
        }
    }

    @Test
    void callsWaitingOnTheStreamOfAPodThatDiesGoToTheOther() throws Exception {
        StreamingVerifier dying = new StreamingVerifier(true);
        try (StreamingVerifier survivor = new StreamingVerifier(false)) {
            EndpointGroup group = new EndpointGroup("verifier", List.of(dying.address(), survivor.address()));
            try {
                GrpcStepScorer scorer = scorer(group);
                // The first pod in turn never answers "hold": the call waits on its stream until the pod dies.
                CompletableFuture<List<CandidateScores>> waiting = CompletableFuture.supplyAsync(() -> scorer.score("h",
                        "prm", "hold", CANDIDATES, Instant.now().plusSeconds(10)), r -> Thread.ofVirtual().start(r));
                assertThat(dying.awaitHeld()).isTrue();
                long t0 = System.nanoTime();
                dying.close();
                // the survivor does not hold: it answers the retried call
                assertThat(waiting.get(10, TimeUnit.SECONDS).getFirst().stepScores()).containsExactly(0.5f, 0.5f);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
                assertThat(survivor.requests()).isEqualTo(1);
            } finally {
                group.shutdown();
            }
        }
    }

    @Test
    void aPodWithoutScoreStreamIsCalledWithScoreSteps() throws Exception {
        ScriptedVerifier older = new ScriptedVerifier("older");
        EndpointGroup group = new EndpointGroup("verifier", List.of(older.address()));
        try {
            GrpcStepScorer scorer = scorer(group);
            for (int i = 0; i < 3; i++) {
                assertThat(scorer.score("u" + i, "prm", "2+3", CANDIDATES, Instant.now().plusSeconds(5))).hasSize(1);
            }
            assertThat(older.calls()).isEqualTo(3);
        } finally {
            group.shutdown();
            older.close();
        }
    }
}
