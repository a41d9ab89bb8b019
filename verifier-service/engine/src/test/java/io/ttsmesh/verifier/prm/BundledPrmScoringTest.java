package io.ttsmesh.verifier.prm;

import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.verifier.DirectPrmReference;
import io.ttsmesh.verifier.HeldoutSamples;
import io.ttsmesh.verifier.Limits;
import io.ttsmesh.verifier.ScoringMetrics;
import io.ttsmesh.verifier.ScoringRequest;
import io.ttsmesh.verifier.StatusCode;
import io.ttsmesh.verifier.VerifierEngine;
import io.ttsmesh.verifier.VerifierException;
import io.ttsmesh.verifier.batching.BatchSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The bundled PRM through the engine equals a plain ONNX Runtime call per candidate, whatever the batch
 * composition, padding and prefix cache, and rejects what it cannot score one candidate at a time.
 */
class BundledPrmScoringTest {

    private static final float TOLERANCE = 1e-5f;
    private static DirectPrmReference reference;
    private static List<Item> items;

    record Item(String question, List<String> steps, float[] expected) {
    }

    /** Counts the engine's cache outcomes. */
    static final class CountingMetrics implements ScoringMetrics {
        final ConcurrentHashMap<CacheOutcome, AtomicLong> cache = new ConcurrentHashMap<>();
        final AtomicLong batches = new AtomicLong();
        final AtomicLong maxRows = new AtomicLong();

        @Override
        public void cache(CacheOutcome outcome, int reusedTokens) {
            cache.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public void batch(int rows, long paddedTokens, long realTokens, Duration runTime) {
            batches.incrementAndGet();
            maxRows.accumulateAndGet(rows, Math::max);
        }

        long count(CacheOutcome o) {
            return cache.getOrDefault(o, new AtomicLong()).get();
        }
    }

    @BeforeAll
    static void loadSamples() throws Exception {
        reference = new DirectPrmReference(BundledModels.prm());
        items = new ArrayList<>();
        for (HeldoutSamples.Question q : HeldoutSamples.read(4).questions()) {
            for (HeldoutSamples.Sample s : q.samples()) {
                if (!s.steps().isEmpty() && items.size() < 48) {
                    items.add(new Item(q.question(), s.steps(), reference.score(q.question(), s.steps())));
                }
            }
        }
        assertThat(items).hasSizeGreaterThan(20);
    }

    @AfterAll
    static void close() throws Exception {
        reference.close();
    }

    private static VerifierEngine engine(BatchSettings batch, long cacheBytes, ScoringMetrics metrics) {
        return VerifierEngine.builder().modelDir(BundledModels.prm()).batch(batch).cacheBytes(cacheBytes)
                .intraOpThreads(1).metrics(metrics).build();
    }

    private static List<CandidateResult> score(VerifierEngine engine, String question, List<CandidateInput> cs) {
        return engine.score(new ScoringRequest("t", "prm", question, cs), Instant.now().plusSeconds(60)).join();
    }

    @Test
    void referenceReadsOneScorePerStep() {
        for (Item item : items) {
            assertThat(item.expected()).hasSize(item.steps().size());
            for (float s : item.expected()) {
                assertThat(s).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void equalsDirectOnnxRuntimeWhateverTheBatchingAndCache() {
        List<BatchSettings> batchings = List.of(
                BatchSettings.DEFAULTS.unbatched(),
                BatchSettings.DEFAULTS.withMaxSize(32).withMaxWait(Duration.ofMillis(20)),
                new BatchSettings(7, Duration.ofMillis(5), 4096, 2, 0.0, 0),
                BatchSettings.DEFAULTS.withMaxTokens(100));
        for (BatchSettings batching : batchings) {
            for (long cacheBytes : new long[] {0, 64L << 20}) {
                try (VerifierEngine engine = engine(batching, cacheBytes, ScoringMetrics.NONE)) {
                    // twice: the second round is answered from the cache when it is on
                    for (int round = 0; round < 2; round++) {
                        List<Item> shuffled = new ArrayList<>(items);
                        Collections.shuffle(shuffled, new Random(round));
                        List<CompletableFuture<Void>> calls = new ArrayList<>();
                        for (int from = 0; from < shuffled.size(); from += 5) {
                            List<Item> part = shuffled.subList(from, Math.min(shuffled.size(), from + 5));
                            calls.add(CompletableFuture.runAsync(() -> part.forEach(item -> {
                                CandidateResult r = score(engine, item.question(),
                                        List.of(CandidateInput.allSteps("c", item.steps()))).getFirst();
                                assertThat(r.ok()).as(r.error()).isTrue();
                                assertScores(r.scores(), item.expected(), batching + " cache " + cacheBytes);
                            })));
                        }
                        calls.forEach(CompletableFuture::join);
                    }
                }
            }
        }
    }

    @Test
    void manyCandidatesOfOneCallArePaddedTogether() {
        CountingMetrics metrics = new CountingMetrics();
        try (VerifierEngine engine = engine(BatchSettings.DEFAULTS.withMaxSize(64), 0, metrics)) {
            String question = items.getFirst().question();
            List<Item> same = items.stream().filter(i -> i.question().equals(question)).toList();
            List<CandidateInput> cs = new ArrayList<>();
            for (int i = 0; i < same.size(); i++) {
                cs.add(CandidateInput.allSteps("c" + i, same.get(i).steps()));
            }
            List<CandidateResult> results = score(engine, question, cs);
            for (int i = 0; i < same.size(); i++) {
                assertThat(results.get(i).id()).isEqualTo("c" + i);
                assertScores(results.get(i).scores(), same.get(i).expected(), "one call");
            }
            assertThat(metrics.maxRows.get()).isGreaterThan(1);
        }
    }

    @Test
    void beamLikeCallsReuseTheScoredPrefix() throws Exception {
        CountingMetrics metrics = new CountingMetrics();
        try (VerifierEngine engine = engine(BatchSettings.DEFAULTS, 64L << 20, metrics)) {
            int steps = 0;
            for (Item item : items.subList(0, 12)) {
                for (int k = 1; k <= item.steps().size(); k++) {
                    List<String> prefix = item.steps().subList(0, k);
                    float[] expected = reference.score(item.question(), prefix);
                    CandidateResult newest = score(engine, item.question(),
                            List.of(CandidateInput.newestStep("b", prefix))).getFirst();
                    assertThat(newest.scores()).hasSize(1);
                    assertThat(newest.scores()[0]).isCloseTo(expected[k - 1], within(TOLERANCE));
                    steps++;
                }
                // all steps after the prefix was scored step by step: earlier scores come from the cache
                CandidateResult all = score(engine, item.question(),
                        List.of(CandidateInput.allSteps("a", item.steps()))).getFirst();
                assertScores(all.scores(), item.expected(), "all steps after the beam");
            }
            // only the first call of each question ran from scratch: every later one continued a cached past
            // (the question's, at worst) or, where samples share their first steps, was answered from the cache
            long questions = items.subList(0, 12).stream().map(Item::question).distinct().count();
            assertThat(metrics.count(ScoringMetrics.CacheOutcome.MISS)).isEqualTo(questions);
            assertThat(metrics.count(ScoringMetrics.CacheOutcome.PREFIX)).isPositive();
            assertThat(metrics.count(ScoringMetrics.CacheOutcome.PREFIX) + metrics.count(ScoringMetrics.CacheOutcome.FULL))
                    .isGreaterThanOrEqualTo(steps - 1 + 12);
            assertThat(engine.cache().bytes()).isPositive().isLessThanOrEqualTo(64L << 20);
        }
    }

    @Test
    void aTinyCacheStaysWithinItsBoundAndStillScoresRight() {
        long bound = 2L << 20;
        try (VerifierEngine engine = engine(BatchSettings.DEFAULTS, bound, ScoringMetrics.NONE)) {
            for (Item item : items) {
                for (int k = 1; k <= item.steps().size(); k++) {
                    CandidateResult r = score(engine, item.question(),
                            List.of(CandidateInput.newestStep("b", item.steps().subList(0, k)))).getFirst();
                    assertThat(r.scores()[0]).isCloseTo(item.expected()[k - 1], within(TOLERANCE));
                }
                assertThat(engine.cache().bytes()).isLessThanOrEqualTo(bound);
            }
            assertThat(engine.cache().evictions()).isPositive();
        }
    }

    @Test
    void aCandidateLongerThanTheContextIsRejectedAloneAndTheRestAnswered() {
        try (VerifierEngine engine = engine(BatchSettings.DEFAULTS, 64L << 20, ScoringMetrics.NONE)) {
            Item ok = items.getFirst();
            List<String> tooLong = new ArrayList<>(ok.steps());
            for (int i = 0; i < 30; i++) {
                tooLong.add("12+34=46");
            }
            List<String> withNewline = List.of("1+1=2\n2+2=4", "A: 4");
            List<CandidateResult> results = score(engine, ok.question(), List.of(
                    CandidateInput.allSteps("long", tooLong),
                    CandidateInput.allSteps("fine", ok.steps()),
                    CandidateInput.allSteps("newline", withNewline),
                    CandidateInput.allSteps("empty", List.of())));
            assertThat(results.get(0).code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
            assertThat(results.get(0).error()).contains("candidates[0]", "'long'", "context of 256");
            assertThat(results.get(0).scores()).isEmpty();
            assertScores(results.get(1).scores(), ok.expected(), "beside rejected ones");
            assertThat(results.get(2).code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
            assertThat(results.get(2).error()).contains("candidates[2]", "steps[0]", "step separator");
            assertThat(results.get(3).code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
            assertThat(results.get(3).error()).contains("candidates[3]", "steps is empty");
        }
    }

    @Test
    void boundsOfACall() {
        try (VerifierEngine engine = VerifierEngine.builder().modelDir(BundledModels.prm())
                .limits(new Limits(3, 2)).build()) {
            Instant deadline = Instant.now().plusSeconds(30);
            List<CandidateInput> four = List.of(CandidateInput.allSteps("a", List.of("1+1=2")),
                    CandidateInput.allSteps("b", List.of("1+1=2")), CandidateInput.allSteps("c", List.of("1+1=2")),
                    CandidateInput.allSteps("d", List.of("1+1=2")));
            assertThatThrownBy(() -> engine.score(new ScoringRequest("r", "", "1+1", four), deadline))
                    .isInstanceOfSatisfying(VerifierException.class, e -> {
                        assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
                        assertThat(e.getMessage()).contains("candidates", "4 given", "at most 3",
                                "tts.verifier.limits.max-candidates");
                    });
            assertThatThrownBy(() -> engine.score(new ScoringRequest("r", "mystery", "1+1", four.subList(0, 1)),
                    deadline)).isInstanceOfSatisfying(VerifierException.class, e -> {
                        assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
                        assertThat(e.getMessage()).contains("verifier 'mystery' is unknown", "prm", "orm", "exact", "confidence");
                    });
            assertThatThrownBy(() -> engine.score(new ScoringRequest("", "prm", "1+1", four.subList(0, 1)), deadline))
                    .hasMessageContaining("request_id");
            assertThatThrownBy(() -> engine.score(new ScoringRequest("r", "prm", " ", four.subList(0, 1)), deadline))
                    .hasMessageContaining("question");
            assertThatThrownBy(() -> engine.score(new ScoringRequest("r", "prm", "1+1", List.of()), deadline))
                    .hasMessageContaining("candidates is empty");
            CandidateResult tooMany = engine.score(new ScoringRequest("r", "prm", "1+1",
                    List.of(CandidateInput.allSteps("x", List.of("1", "2", "3")))), deadline).join().getFirst();
            assertThat(tooMany.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
            assertThat(tooMany.error()).contains("3 steps, at most 2", "tts.verifier.limits.max-steps");
        }
    }

    @Test
    void ormIsThePrmScoreOfTheLastStep() {
        try (VerifierEngine engine = engine(BatchSettings.DEFAULTS, 0, ScoringMetrics.NONE)) {
            Item item = items.get(3);
            CandidateResult r = engine.score(new ScoringRequest("r", "orm", item.question(),
                            List.of(CandidateInput.allSteps("o", item.steps()))), Instant.now().plusSeconds(30))
                    .join().getFirst();
            assertThat(r.scores()).hasSize(1);
            assertThat(r.scores()[0]).isCloseTo(item.expected()[item.expected().length - 1], within(TOLERANCE));
        }
    }

    static void assertScores(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as(what + " step " + i).isCloseTo(expected[i], within(TOLERANCE));
        }
    }
}
