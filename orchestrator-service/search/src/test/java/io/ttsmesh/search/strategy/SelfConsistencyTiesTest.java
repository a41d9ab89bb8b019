package io.ttsmesh.search.strategy;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.run.SearchRunner;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.GenerationSessions;
import io.ttsmesh.search.generation.ProbeResult;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.generation.SessionTotals;
import io.ttsmesh.search.generation.Step;
import io.ttsmesh.search.sim.Recorded;
import io.ttsmesh.search.sim.Requests;
import io.ttsmesh.search.sim.ScriptedGenerator;
import io.ttsmesh.search.sim.ScriptedScorer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Self-consistency's answer does not depend on the order in which branches finish: a generator batching many
 * searches at once answers a call's branches in an order that changes from run to run, while every branch writes
 * the same text for the same seed. Ties between answers must then still go the same way.
 */
class SelfConsistencyTiesTest {

    private static final int RUNS = 20;

    @Test
    void theSameSeedGivesTheSameAnswerTwentyTimesOverConcurrently() throws Exception {
        // Branches 1 and 3 answer 3, branches 2 and 4 answer 4: two votes each, a tie on every run.
        ShuffledDelivery generator = new ShuffledDelivery(id -> List.of("working " + id, id % 2 == 1 ? "A: 3" : "A: 4"));
        SearchRunner runner = new SearchRunner(generator, new ScriptedScorer(s -> 0.5), SearchSettings.defaults());
        CountDownLatch start = new CountDownLatch(1);
        Set<List<Long>> finishOrders = ConcurrentHashMap.newKeySet();
        List<Future<SearchResult>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(RUNS)) {
            for (int i = 0; i < RUNS; i++) {
                results.add(pool.submit(() -> {
                    Recorded events = new Recorded();
                    start.await();
                    SearchResult r = runner.run(Requests.of("1+2", "self_consistency", Map.of("n", "4"),
                            Requests.generous(), 7L), events);
                    events.assertWellFormed(r);
                    finishOrders.add(events.of(SearchEvent.BranchFinished.class).stream()
                            .map(SearchEvent.BranchFinished::branchId).toList());
                    return r;
                }));
            }
            start.countDown();
            List<SearchResult> done = new ArrayList<>();
            for (Future<SearchResult> f : results) {
                done.add(f.get());
            }
            assertThat(done).allSatisfy(r -> {
                assertThat(r.answer()).isEqualTo("3");
                assertThat(r.branchId()).isEqualTo(1L);
                assertThat(r.answers()).extracting(SearchResult.AnswerTally::votes).containsExactly(2, 2);
            });
        }
        // The runs really did see their branches finish in different orders.
        assertThat(finishOrders).hasSizeGreaterThan(1);
    }

    /**
     * Scripted generation whose every call answers its branches in a random order, as a batching generator serving
     * many searches may; what each branch writes stays the same.
     */
    private static final class ShuffledDelivery implements GenerationSessions {
        private final java.util.function.Function<Long, List<String>> script;

        ShuffledDelivery(java.util.function.Function<Long, List<String>> script) {
            this.script = script;
        }

        @Override
        public GenerationSession open(String requestId, Instant deadline) {
            GenerationSession scripted = new ScriptedGenerator(script).open(requestId, deadline);
            return new GenerationSession() {
                @Override
                public int start(String prompt, List<Long> branchIds, SamplingParams sampling) {
                    return scripted.start(prompt, branchIds, sampling);
                }

                @Override
                public void extend(List<Long> branchIds, Extension extension, Consumer<Step> onStep) {
                    List<Step> steps = new ArrayList<>();
                    scripted.extend(branchIds, extension, steps::add);
                    Collections.shuffle(steps, ThreadLocalRandom.current());
                    steps.forEach(onStep);
                }

                @Override
                public void fork(long parentId, List<Long> childIds, List<Long> childSeeds) {
                    scripted.fork(parentId, childIds, childSeeds);
                }

                @Override
                public void cancel(Collection<Long> branchIds) {
                    scripted.cancel(branchIds);
                }

                @Override
                public ProbeResult probe(long branchId, String cue, int maxTokens, String stop) {
                    return scripted.probe(branchId, cue, maxTokens, stop);
                }

                @Override
                public int append(long branchId, String text) {
                    return scripted.append(branchId, text);
                }

                @Override
                public SessionTotals close() {
                    return scripted.close();
                }
            };
        }
    }
}
