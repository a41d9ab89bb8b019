package io.ttsmesh.mesh.inprocess;

import io.ttsmesh.generator.engine.EngineSettings;
import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.generation.GenerationException;
import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.generation.SessionTotals;
import io.ttsmesh.search.generation.Step;
import io.ttsmesh.search.generation.StepEnd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The search's generation port over the engine in the same JVM (library mode), on the bundled model. */
class InProcessGenerationSessionsTest {

    private static final String PROMPT = "Q: 53+(50+20)\n";
    private static GeneratorEngine engine;

    /** A clock that moves only when told: the deadline passes without the test waiting for it. */
    private static final class SteppedClock extends Clock {
        private final AtomicReference<Instant> now;

        SteppedClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration by) {
            now.updateAndGet(t -> t.plus(by));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("a test clock in UTC");
        }
    }
    private static InProcessGenerationSessions sessions;

    @BeforeAll
    static void start() {
        engine = GeneratorEngine.start(EngineSettings.forModel(BundledModels.generator()).build());
        sessions = new InProcessGenerationSessions(engine);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @AfterEach
    void freed() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (engine.liveBranches() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(engine.liveBranches()).isZero();
    }

    private static GenerationSession open(String id) {
        return sessions.open(id, Instant.now().plus(Duration.ofMinutes(1)));
    }

    @Test
    void aSearchStepsForksProbesAndClosesWithTheEnginesAccount() {
        GenerationSession s = open("library");
        int promptTokens = s.start(PROMPT, List.of(1L, 2L), SamplingParams.defaults().withSeed(3).withTopLogprobs(2));
        assertThat(promptTokens).isEqualTo(PROMPT.length());
        long generated = 0;
        Thread caller = Thread.currentThread();
        List<Step> steps = new ArrayList<>();
        s.extend(List.of(1L, 2L), Extension.nextStep(64), step -> {
            assertThat(Thread.currentThread()).as("onStep runs on the calling thread").isSameAs(caller);
            steps.add(step);
        });
        assertThat(steps).extracting(Step::branchId).containsExactlyInAnyOrder(1L, 2L);
        for (Step step : steps) {
            generated += step.tokens();
            assertThat(step.logprobs()).hasSize(step.tokens());
            assertThat(step.logprobs().getFirst().top()).hasSize(2);
        }
        s.fork(1L, List.of(3L), List.of());
        var probe = s.probe(3L, "A:", 10, null);
        generated += probe.generatedTokens();
        assertThat(probe.cueTokens()).isEqualTo(2);
        assertThat(s.append(2L, "A:")).isEqualTo(2);
        List<Step> ordered = s.extend(List.of(3L, 1L), Extension.toEnd(150));
        assertThat(ordered).extracting(Step::branchId).containsExactly(3L, 1L);
        generated += ordered.stream().mapToLong(Step::tokens).sum();

        SessionTotals totals = s.close();
        assertThat(totals.generatedTokens()).isEqualTo(generated);
        assertThat(totals.prefillTokens()).isEqualTo(PROMPT.length() + 2 + 2);
        assertThat(totals.branchesFreed()).isBetween(1, 3);
        assertThat(s.close()).isEqualTo(totals);
    }

    @Test
    void aSearchThatReadsNoTokenLogprobsGetsTheSameStepsWithTheirMeansOnly() {
        List<List<Step>> runs = new ArrayList<>();
        for (int topLogprobs : new int[] {1, 0}) {
            GenerationSession s = open("means-" + topLogprobs);
            s.start(PROMPT, List.of(1L, 2L), SamplingParams.defaults().withSeed(5).withTopLogprobs(topLogprobs));
            runs.add(s.extend(List.of(1L, 2L), Extension.toEnd(150)));
            s.close();
        }
        for (int i = 0; i < 2; i++) {
            Step full = runs.get(0).get(i);
            Step lean = runs.get(1).get(i);
            assertThat(lean.text()).isEqualTo(full.text());
            assertThat(full.logprobs()).hasSize(full.tokens());
            assertThat(lean.logprobs()).isEmpty();
            assertThat(full.meanLogprob()).isNegative();
            assertThat(lean.meanLogprob()).isCloseTo(full.meanLogprob(), org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void onStepMayCancelABranchStillGenerating() {
        GenerationSession s = open("first-finish");
        s.start("Q: 1+1\n", List.of(1L, 2L), SamplingParams.defaults().withSeed(1));
        // Branch 1 is one token short of the context, so its step ends with its first token.
        s.append(1L, "1+1=2\n".repeat(41) + "12");
        List<Step> answered = new ArrayList<>();
        s.extend(List.of(1L, 2L), Extension.toEnd(200).withSuppressEos(true), step -> {
            answered.add(step);
            if (step.branchId() == 1L) {
                s.cancel(List.of(2L));
            }
        });
        assertThat(answered.getFirst().branchId()).isEqualTo(1L);
        assertThat(answered.getFirst().end()).isEqualTo(StepEnd.CONTEXT_LIMIT);
        Step cancelled = answered.get(1);
        assertThat(cancelled.branchId()).isEqualTo(2L);
        assertThat(cancelled.end()).isEqualTo(StepEnd.CANCELLED);
        assertThat(cancelled.finished()).isTrue();
        assertThat(cancelled.tokens()).isLessThan(200);
        s.close();
    }

    @Test
    void failuresCarryGrpcStyleCodes() {
        GenerationSession s = open("failures");
        s.start(PROMPT, List.of(1L), SamplingParams.defaults());
        assertThatThrownBy(() -> s.extend(List.of(9L), Extension.nextStep(10)))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo("NOT_FOUND"));
        assertThatThrownBy(() -> s.extend(List.of(1L), Extension.nextStep(-4)))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo("INVALID_ARGUMENT"));
        assertThatThrownBy(() -> s.start(PROMPT, List.of(2L), new SamplingParams(9f, null, null, null, 0)))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo("INVALID_ARGUMENT"));
        assertThatThrownBy(() -> s.cancel(List.of(1L, 77L)))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo("NOT_FOUND"));
        s.close();
        assertThatThrownBy(() -> s.append(1L, "x"))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo("FAILED_PRECONDITION"));
    }

    @Test
    void callsAreBoundedByTheDeadline() {
        SteppedClock clock = new SteppedClock(Instant.now());
        GenerationSession s = new InProcessGenerationSessions(engine, clock).open("late", clock.instant().plusMillis(1500));
        s.start(PROMPT, List.of(1L), SamplingParams.defaults());
        clock.advance(Duration.ofMillis(1600));
        assertThatThrownBy(() -> s.extend(List.of(1L), Extension.toEnd(100)))
                .isInstanceOfSatisfying(GenerationException.class, e -> assertThat(e.code()).isEqualTo("DEADLINE_EXCEEDED"));
        assertThat(s.close().branchesFreed()).as("close still answers after the deadline").isEqualTo(1);
    }
}
