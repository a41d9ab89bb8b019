package io.ttsmesh.orchestrator.pods;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.orchestrator.testing.KafkaBrokerResource;
import io.ttsmesh.orchestrator.testing.ScriptedGenerator;
import io.ttsmesh.orchestrator.testing.ScriptedMeshResource;
import io.ttsmesh.orchestrator.testing.ScriptedVerifier;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.run.SearchRunner;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pods dying under running searches, over real gRPC on loopback with scripted pods, through the production
 * clients (GrpcGenerationSessions, GrpcStepScorer) and the real search engine: no search hangs, each answers
 * (its branches moved to the surviving pod) or ends UNAVAILABLE, and every branch and verifier slot is freed.
 */
@QuarkusTest // SmallRye Fault Tolerance's guards need the container; the service's own mesh is not used here.
@WithTestResource(ScriptedMeshResource.class)
@WithTestResource(KafkaBrokerResource.class)
class PodFaultsTest {

    private ScriptedGenerator genA;
    private ScriptedGenerator genB;
    private ScriptedVerifier verA;
    private ScriptedVerifier verB;
    private EndpointGroup generators;
    private EndpointGroup verifiers;
    private GrpcGenerationSessions sessions;
    private SearchRunner runner;

    @BeforeEach
    void start() throws Exception {
        genA = new ScriptedGenerator("gen-a");
        genB = new ScriptedGenerator("gen-b");
        verA = new ScriptedVerifier("ver-a");
        verB = new ScriptedVerifier("ver-b");
        generators = new EndpointGroup("generator", List.of(genA.address(), genB.address()));
        verifiers = new EndpointGroup("verifier", List.of(verA.address(), verB.address()));
        sessions = new GrpcGenerationSessions(generators, Duration.ofSeconds(1), "\n", 3, Duration.ofSeconds(5));
        GrpcStepScorer scorer = new GrpcStepScorer(verifiers, Duration.ofSeconds(2), 2, Duration.ofMillis(20), 10, 0.5,
                Duration.ofSeconds(5));
        runner = new SearchRunner(sessions, scorer, SearchSettings.defaults());
    }

    @AfterEach
    void stop() throws Exception {
        generators.shutdown();
        verifiers.shutdown();
        genA.close();
        genB.close();
        verA.close();
        verB.close();
    }

    private static SearchRequest request(String id, String strategy, Map<String, String> params, Duration deadline) {
        return new SearchRequest(id, "3+4", MethodSpec.of(strategy, params), List.of(),
                new Budget(20_000, 2_000, deadline), SamplingParams.defaults(), "", Aggregation.LAST);
    }

    private List<CompletableFuture<SearchResult>> launch(int count, Duration deadline) {
        List<CompletableFuture<SearchResult>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String strategy = i % 2 == 0 ? "best_of_n" : "beam_search";
            Map<String, String> params = i % 2 == 0 ? Map.of("n", "4") : Map.of("n", "4", "width", "2");
            SearchRequest r = request("fault-" + i, strategy, params, deadline);
            CompletableFuture<SearchResult> f = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    f.complete(runner.run(r, e -> {
                    }));
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
            results.add(f);
        }
        return results;
    }

    @Test
    void aGeneratorKilledMidSearchMovesItsBranchesToTheOtherAndEverySearchAnswers() throws Exception {
        genA.stepDelayMs(60);
        genB.stepDelayMs(60);
        List<CompletableFuture<SearchResult>> results = launch(32, Duration.ofSeconds(15));
        await().atMost(10, TimeUnit.SECONDS).until(() -> genA.liveBranches() > 8 && genB.liveBranches() > 8);
        genA.close(); // shutdownNow: every stream to it breaks mid-command

        long t0 = System.nanoTime();
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(16));
        int answered = 0;
        for (var f : results) {
            SearchResult r = f.get();
            if (r.stopReason() == StopReason.FAILED) {
                assertThat(r.errorCode()).as(r.stopDetail()).isEqualTo("UNAVAILABLE");
            } else {
                assertThat(r.stopReason()).as(r.stopDetail()).isEqualTo(StopReason.COMPLETED);
                assertThat(r.answer()).isEqualTo("7");
                answered++;
            }
        }
        // gen-b survived: every search moved there and answered.
        assertThat(answered).isEqualTo(32);
        assertThat(sessions.failovers()).isGreaterThan(0);
        assertThat(sessions.reprefillTokens()).isGreaterThan(0);
        await().atMost(5, TimeUnit.SECONDS).until(() -> genB.liveBranches() == 0 && genB.openSessions() == 0);
        assertThat(generators.endpoints()).allSatisfy(e -> assertThat(e.load()).isZero());
    }

    @Test
    void withEveryGeneratorGoneSearchesEndUnavailableWithinTheirDeadline() throws Exception {
        genA.stepDelayMs(80);
        genB.stepDelayMs(80);
        List<CompletableFuture<SearchResult>> results = launch(8, Duration.ofSeconds(10));
        await().atMost(10, TimeUnit.SECONDS).until(() -> genA.liveBranches() > 0 && genB.liveBranches() > 0);
        genA.close();
        genB.close();
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(12, TimeUnit.SECONDS);
        for (var f : results) {
            SearchResult r = f.get();
            assertThat(r.stopReason()).as(r.stopDetail()).isEqualTo(StopReason.FAILED);
            assertThat(r.errorCode()).isEqualTo("UNAVAILABLE");
            assertThat(r.stopDetail()).contains("generator");
        }
    }

    @Test
    void aVerifierKilledIsRetriedOnTheOtherAndWithNoneLeftTheSearchEndsUnavailableOrDegrades() throws Exception {
        genA.stepDelayMs(20);
        genB.stepDelayMs(20);
        verA.close();
        List<CompletableFuture<SearchResult>> results = launch(8, Duration.ofSeconds(10));
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
        for (var f : results) {
            assertThat(f.get().stopReason()).as(f.get().stopDetail()).isEqualTo(StopReason.COMPLETED);
            assertThat(f.get().answer()).isEqualTo("7");
        }
        assertThat(verB.calls()).isGreaterThan(0);

        verB.close();
        long t0 = System.nanoTime();
        // A search that may not degrade to an unscored vote ends UNAVAILABLE within its deadline.
        SearchResult r = runner.run(request("fault-no-verifier", "best_of_n", Map.of("n", "4"), Duration.ofSeconds(5))
                .withAllowDegraded(false), e -> {
        });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(6));
        assertThat(r.stopReason()).isEqualTo(StopReason.FAILED);
        assertThat(r.errorCode()).isEqualTo("UNAVAILABLE");
        // By default it answers by an unscored majority vote instead (degraded mode).
        SearchResult degraded = runner.run(request("fault-degraded", "best_of_n", Map.of("n", "4"), Duration.ofSeconds(5)), e -> {
        });
        assertThat(degraded.stopReason()).as(degraded.stopDetail()).isEqualTo(StopReason.DEGRADED);
        // the scripted branches split 2-2 between the right sum and one too many: either is a vote's answer
        assertThat(degraded.answer()).isIn("7", "8");
        assertThat(verifiers.endpoints()).allSatisfy(e -> assertThat(e.load()).isZero());
    }

    @Test
    void aTwoSecondDeadlineEndsTheSearchAndFreesEveryBranchAndSlot() throws Exception {
        // Each step takes seconds: the search cannot finish in 2 s.
        genA.stepDelayMs(1500);
        genB.stepDelayMs(1500);
        List<CompletableFuture<SearchResult>> results = launch(4, Duration.ofSeconds(2));
        long t0 = System.nanoTime();
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(6, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(4000));
        for (var f : results) {
            assertThat(f.get().stopReason()).isEqualTo(StopReason.DEADLINE);
        }
        await().atMost(3, TimeUnit.SECONDS).until(() -> genA.liveBranches() + genB.liveBranches() == 0
                && genA.openSessions() + genB.openSessions() == 0);
        assertThat(generators.endpoints()).allSatisfy(e -> assertThat(e.load()).isZero());
        assertThat(verifiers.endpoints()).allSatisfy(e -> assertThat(e.load()).isZero());
    }
}
