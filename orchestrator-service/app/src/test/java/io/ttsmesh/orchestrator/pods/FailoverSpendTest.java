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
import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.GenerationSessions;
import io.ttsmesh.search.generation.ProbeResult;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.generation.SessionTotals;
import io.ttsmesh.search.generation.Step;
import io.ttsmesh.search.scoring.Aggregation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A generator killed mid-search: the spend each search reports equals what the generators themselves counted
 * for it, the dead one's per-command prefill reports (Started, Appended, Probe cue tokens) up to its death plus
 * the survivor's Closed totals, which include the branches it prefilled again on failover.
 */
@QuarkusTest // SmallRye Fault Tolerance's guards need the container; the service's own mesh is not used here.
@WithTestResource(ScriptedMeshResource.class)
@WithTestResource(KafkaBrokerResource.class)
class FailoverSpendTest {

    private ScriptedGenerator genA;
    private ScriptedGenerator genB;
    private ScriptedVerifier verA;
    private String deadPod;
    private EndpointGroup generators;
    private EndpointGroup verifiers;
    private GrpcGenerationSessions sessions;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    /** What the generators reported for one search: prefill per command on the dead pod, Closed on the last. */
    private static final class Account {
        long prefillReportedByDeadPod;
        SessionTotals closed;
        String closedBy;
    }

    @BeforeEach
    void start() throws Exception {
        genA = new ScriptedGenerator("gen-a");
        genB = new ScriptedGenerator("gen-b");
        deadPod = genA.address(); // noted before the kill: a closed server has no port
        verA = new ScriptedVerifier("ver-a");
        generators = new EndpointGroup("generator", List.of(genA.address(), genB.address()));
        verifiers = new EndpointGroup("verifier", List.of(verA.address()));
        sessions = new GrpcGenerationSessions(generators, Duration.ofSeconds(1), "\n", 3, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        generators.shutdown();
        verifiers.shutdown();
        genA.close();
        genB.close();
        verA.close();
    }

    @Test
    void spendAfterAGeneratorIsKilledMidSearchEqualsTheGeneratorsOwnCounters() throws Exception {
        GrpcStepScorer scorer = new GrpcStepScorer(verifiers, Duration.ofSeconds(2), 2, Duration.ofMillis(20), 10, 0.5,
                Duration.ofSeconds(5));
        SearchRunner runner = new SearchRunner(recording(sessions), scorer, SearchSettings.defaults());
        genA.stepDelayMs(60);
        genB.stepDelayMs(60);
        List<CompletableFuture<SearchResult>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String strategy = i % 2 == 0 ? "best_of_n" : "beam_search";
            Map<String, String> params = i % 2 == 0 ? Map.of("n", "4") : Map.of("n", "4", "width", "2");
            SearchRequest r = new SearchRequest("spend-" + i, "3+4", MethodSpec.of(strategy, params), List.of(),
                    new Budget(20_000, 2_000, Duration.ofSeconds(15)), SamplingParams.defaults(), "", Aggregation.LAST);
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
        await().atMost(10, TimeUnit.SECONDS).until(() -> genA.liveBranches() > 4 && genB.liveBranches() > 4);
        genA.close();
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        assertThat(sessions.reprefillTokens()).isGreaterThan(0);
        long moved = 0;
        for (var f : results) {
            SearchResult r = f.get();
            assertThat(r.stopReason()).as(r.stopDetail()).isEqualTo(StopReason.COMPLETED);
            Account a = accounts.get(r.requestId());
            assertThat(a.closedBy).isEqualTo(genB.address());
            assertThat(r.spend().prefillTokens()).as(r.requestId())
                    .isEqualTo(a.prefillReportedByDeadPod + a.closed.prefillTokens());
            if (a.prefillReportedByDeadPod > 0) {
                moved++;
            }
        }
        assertThat(moved).as("searches that started on the killed generator").isGreaterThan(0);
    }

    /** Wraps the port to note, per search, the prefill gen-a reported per command and the final Closed totals. */
    private GenerationSessions recording(GenerationSessions real) {
        return (requestId, deadline) -> {
            GenerationSession s = real.open(requestId, deadline);
            Account account = accounts.computeIfAbsent(requestId, id -> new Account());
            return new GenerationSession() {
                private void onDeadPod(long tokens) {
                    if (deadPod.equals(s.generator()) && tokens > 0) {
                        account.prefillReportedByDeadPod += tokens;
                    }
                }

                @Override
                public int start(String prompt, List<Long> branchIds, SamplingParams sampling) {
                    int tokens = s.start(prompt, branchIds, sampling);
                    onDeadPod(tokens);
                    return tokens;
                }

                @Override
                public void extend(List<Long> branchIds, Extension extension, Consumer<Step> onStep) {
                    s.extend(branchIds, extension, onStep);
                }

                @Override
                public void fork(long parentId, List<Long> childIds, List<Long> childSeeds) {
                    s.fork(parentId, childIds, childSeeds);
                }

                @Override
                public void cancel(Collection<Long> branchIds) {
                    s.cancel(branchIds);
                }

                @Override
                public ProbeResult probe(long branchId, String cue, int maxTokens, String stop) {
                    ProbeResult p = s.probe(branchId, cue, maxTokens, stop);
                    onDeadPod(p.cueTokens());
                    return p;
                }

                @Override
                public int append(long branchId, String text) {
                    int tokens = s.append(branchId, text);
                    onDeadPod(tokens);
                    return tokens;
                }

                @Override
                public String generator() {
                    return s.generator();
                }

                @Override
                public long takeFailoverPrefill() {
                    return s.takeFailoverPrefill();
                }

                @Override
                public SessionTotals close() {
                    account.closed = s.close();
                    account.closedBy = s.generator();
                    return account.closed;
                }
            };
        };
    }
}
