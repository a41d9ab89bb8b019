package io.ttsmesh.search.run;

import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.generation.GenerationException;
import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.PendingStart;
import io.ttsmesh.search.generation.ProbeResult;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.generation.SessionTotals;
import io.ttsmesh.search.generation.Step;
import io.ttsmesh.search.scoring.CandidateScores;
import io.ttsmesh.search.scoring.StepScorer;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.sim.Recorded;
import io.ttsmesh.search.sim.Requests;
import io.ttsmesh.search.sim.SimulatedGenerator;
import io.ttsmesh.search.sim.SimulatedPrm;
import io.ttsmesh.search.sim.SimulatedSession;
import io.ttsmesh.search.status.StatusCode;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class RunnerTest {

    private final SimulatedGenerator generator = new SimulatedGenerator(0.2);
    private final SimulatedPrm prm = SimulatedPrm.standard();
    private final SearchRunner runner = new SearchRunner(generator, prm, SearchSettings.defaults());

    private SearchResult run(SearchRequest request, Recorded events) {
        SearchResult result = runner.run(request, events);
        events.assertWellFormed(result);
        SimulatedSession session = generator.lastSession();
        assertThat(session.closed()).isTrue();
        assertThat(result.spend().generatedTokens()).isEqualTo(session.generatedTokens());
        assertThat(result.spend().prefillTokens()).isEqualTo(session.prefillTokens());
        assertThat(result.spend().branches()).isEqualTo(session.branchesCreated());
        assertThat((long) result.spend().verifierCalls()).isEqualTo(prm.candidates());
        return result;
    }

    @Test
    void bestOfNScoresEverySampleOnceAndPicksTheBestScored() {
        Recorded events = new Recorded();
        SearchResult r = run(Requests.of("(17+25)*3-14", "best_of_n", Map.of("n", "8"), Requests.generous()), events);
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(generator.lastSession().extendSizes()).containsExactly(8);
        // the first four finished samples scored while the others still generated, the rest after: each once
        assertThat(prm.aheadSizes()).containsExactly(4);
        assertThat(prm.awaitedCalls()).isEqualTo(1);
        assertThat(r.spend().verifierCalls()).isEqualTo(8);
        double best = r.answers().stream().mapToDouble(SearchResult.AnswerTally::bestScore).max().orElseThrow();
        assertThat(r.score()).isEqualTo(best);
        assertThat(r.answers().get(0).answer()).isEqualTo(r.answer());
        assertThat(r.steps()).last().isEqualTo("A: " + r.answer());
        assertThat(r.branchId()).isPositive();
        assertThat(r.answers().stream().mapToInt(SearchResult.AnswerTally::votes).sum()).isEqualTo(8);
    }

    @Test
    void theResultIsOutBeforeTheSessionClosesAndTheSessionIsClosedWhenTheRunReturns() {
        AtomicReference<Boolean> closedAtResult = new AtomicReference<>();
        SearchResult r = runner.run(Requests.of("(17+25)*3-14", "beam_search", Map.of("n", "8"), Requests.generous()), e -> {
            if (e.payload() instanceof SearchEvent.Finished) {
                closedAtResult.set(generator.lastSession().closed());
            }
        });
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        // The client is answered without waiting for the generator's totals; the session is still closed by the run.
        assertThat(closedAtResult.get()).isFalse();
        assertThat(generator.lastSession().closed()).isTrue();
        assertThat(generator.lastSession().liveBranches()).isZero();
    }

    @Test
    void selfConsistencyNeverAsksTheVerifier() {
        Recorded events = new Recorded();
        SearchResult r = run(Requests.of("12*4+7-9", "self_consistency", Map.of("n", "6"), Requests.generous()), events);
        assertThat(prm.calls()).isZero();
        assertThat(r.score()).isNull();
        assertThat(r.answers().get(0).votes()).isGreaterThanOrEqualTo(r.answers().get(r.answers().size() - 1).votes());
        assertThat(r.answer()).isEqualTo(r.answers().get(0).answer());
    }

    @Test
    void weightedBestOfNSumsScoresPerAnswer() {
        Recorded events = new Recorded();
        SearchResult r = run(Requests.of("99-45+3*7", "weighted_best_of_n", Map.of("n", "8"), Requests.generous()), events);
        double top = r.answers().stream().mapToDouble(SearchResult.AnswerTally::scoreSum).max().orElseThrow();
        assertThat(r.answers().get(0).scoreSum()).isEqualTo(top);
        assertThat(r.answer()).isEqualTo(r.answers().get(0).answer());
    }

    @Test
    void beamSearchExtendsAndScoresAllBeamsOncePerIteration() {
        Recorded events = new Recorded();
        SearchResult r = run(Requests.of("(4+9)*5-(12-3)*2", "beam_search", Map.of("n", "8", "width", "4"),
                Requests.generous()), events);
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        List<Integer> sizes = generator.lastSession().extendSizes();
        assertThat(sizes).allMatch(s -> s == 8);
        assertThat(prm.awaitedCalls()).isEqualTo(sizes.size());
        // keep the top n/width = 2, each forks width-1 = 3 children
        List<SearchEvent.BranchForked> forks = events.of(SearchEvent.BranchForked.class);
        assertThat(forks).isNotEmpty().allMatch(f -> f.childIds().size() == 3);
        assertThat(events.of(SearchEvent.BranchPruned.class)).allMatch(p -> p.by().equals("beam_search"));
        assertThat(r.answer()).isEqualTo("47");
        // every later score call asks only for the newest step
        assertThat(prm.lastCall()).allMatch(c -> c.lastStepOnly());
    }

    @Test
    void candidatesTheVerifierRefusesArePrunedAndTheSearchGoesOn() {
        // As the real verifier answers a candidate longer than its context: INVALID_ARGUMENT for that one alone.
        StepScorer refusingOdd = (requestId, verifier, question, asked, deadline) ->
                prm.score(requestId, verifier, question, asked, deadline).stream()
                        .map(c -> Long.parseLong(c.id()) % 2 == 1
                                ? CandidateScores.failed(c.id(), StatusCode.INVALID_ARGUMENT, "the candidate is too long")
                                : c)
                        .toList();
        SearchRunner refusing = new SearchRunner(generator, refusingOdd, SearchSettings.defaults());
        Recorded events = new Recorded();
        SearchResult r = refusing.run(Requests.of("(17+25)*3-14", "best_of_n", Map.of("n", "8"),
                Requests.generous()), events);
        events.assertWellFormed(r);
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.branchId() % 2).isZero();
        List<SearchEvent.BranchPruned> pruned = events.of(SearchEvent.BranchPruned.class);
        assertThat(pruned).hasSize(4).allMatch(p -> p.by().equals("verifier") && p.branchId() % 2 == 1
                && p.reason().contains("too long"));
        assertThat(r.answers().stream().mapToInt(SearchResult.AnswerTally::votes).sum()).isEqualTo(4);
    }

    @Test
    void beamSearchStopsAtMaxIterationsBySamplingToTheEnd() {
        Recorded events = new Recorded();
        SearchResult r = run(Requests.of("(4+9)*5-(12-3)*2", "beam_search",
                Map.of("n", "4", "width", "2", "max_iterations", "2"), Requests.generous()), events);
        assertThat(generator.lastSession().extendSizes()).hasSize(2);
        assertThat(r.answer()).isNotNull();
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
    }

    @Test
    void tokenBudgetStopsTheSearchWithTheBestItHas() {
        Recorded events = new Recorded();
        // 4 samples of ~36 tokens each fit in 150 tokens; the remaining 4 do not all fit
        SearchResult r = run(Requests.of("(17+25)*3-14", "self_consistency", Map.of("n", "8"),
                new Budget(150, 0, Duration.ofSeconds(10))), events);
        assertThat(r.stopReason()).isEqualTo(StopReason.TOKEN_BUDGET);
        assertThat(r.spend().generatedTokens()).isLessThanOrEqualTo(150);
        assertThat(events.of(SearchEvent.BudgetExhausted.class)).containsExactly(new SearchEvent.BudgetExhausted("tokens"));
        assertThat(r.stopDetail()).contains("token budget exhausted");
    }

    @Test
    void verifierBudgetStopsBeamSearchBeforeItIsExceeded() {
        Recorded events = new Recorded();
        SearchResult r = run(Requests.of("(4+9)*5-(12-3)*2", "beam_search", Map.of("n", "8", "width", "4"),
                new Budget(100_000, 20, Duration.ofSeconds(10))), events);
        assertThat(r.stopReason()).isEqualTo(StopReason.VERIFIER_BUDGET);
        assertThat(r.spend().verifierCalls()).isEqualTo(16);
        assertThat(events.of(SearchEvent.BudgetExhausted.class)).containsExactly(new SearchEvent.BudgetExhausted("verifier_calls"));
        // nothing finished: the best partial solution is reported, with no answer
        assertThat(r.answer()).isNull();
        assertThat(r.steps()).hasSize(2);
        assertThat(r.stopDetail()).contains("no solution finished");
        assertThat(events.of(SearchEvent.BranchFinished.class)).allMatch(f -> f.end().equals("stopped"));
    }

    @Test
    void deadlineIsABoundToo() {
        MutableClock clock = new MutableClock();
        SimulatedGenerator slow = new SimulatedGenerator(0.2, 1024, () -> clock.advance(Duration.ofMillis(400)));
        SearchRunner timed = new SearchRunner(slow, prm, SearchSettings.defaults(), clock);
        Recorded events = new Recorded();
        SearchResult r = timed.run(Requests.of("(4+9)*5-(12-3)*2", "beam_search", Map.of("n", "4", "width", "2"),
                new Budget(100_000, 1000, Duration.ofMillis(1000))), events);
        events.assertWellFormed(r);
        assertThat(r.stopReason()).isEqualTo(StopReason.DEADLINE);
        assertThat(events.of(SearchEvent.BudgetExhausted.class)).containsExactly(new SearchEvent.BudgetExhausted("deadline"));
        assertThat(slow.lastSession().closed()).isTrue();
    }

    @Test
    void interruptingTheThreadCancelsTheSearch() {
        Recorded events = new Recorded();
        AtomicReference<SearchResult> result = new AtomicReference<>();
        Consumer<SearchEvent> interruptAtThirdStep = e -> {
            events.accept(e);
            if (events.of(SearchEvent.BranchStep.class).size() == 3) {
                Thread.currentThread().interrupt();
            }
        };
        Thread t = Thread.ofVirtual().start(() -> {
            result.set(runner.run(Requests.of("(4+9)*5-(12-3)*2", "beam_search", Map.of("n", "4", "width", "2"),
                    Requests.generous()), interruptAtThirdStep));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        });
        join(t);
        SearchResult r = result.get();
        events.assertWellFormed(r);
        assertThat(r.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(generator.lastSession().closed()).isTrue();
        assertThat(generator.lastSession().liveBranches()).isZero();
    }

    @Test
    void aFailingGeneratorGivesFailedWithItsCode() {
        GenerationSession broken = new BrokenSession();
        SearchRunner failing = new SearchRunner((id, deadline) -> broken, prm, SearchSettings.defaults());
        Recorded events = new Recorded();
        SearchResult r = failing.run(Requests.of("1+2", "best_of_n", Map.of(), Requests.generous()), events);
        events.assertWellFormed(r);
        assertThat(r.stopReason()).isEqualTo(StopReason.FAILED);
        assertThat(r.errorCode()).isEqualTo(StatusCode.UNAVAILABLE.name());
        assertThat(r.stopDetail()).contains("generator gone");
        assertThat(r.answer()).isNull();
    }

    @Test
    void theStartIsAnsweredWithTheFirstExtendAndReportedBeforeItsSteps() {
        List<String> calls = new ArrayList<>();
        SearchRunner ahead = new SearchRunner((id, deadline) -> new AheadSession(generator.open(id, deadline), calls),
                prm, SearchSettings.defaults());
        Recorded events = new Recorded();
        SearchResult r = ahead.run(Requests.of("12*4+7-9", "beam_search", Map.of("n", "4", "width", "2"), Requests.generous()), events);
        events.assertWellFormed(r);
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(calls).startsWith("startAhead", "extend", "start", "promptTokens");
        var started = events.of(SearchEvent.BranchesStarted.class);
        assertThat(started).hasSize(1);
        assertThat(started.getFirst().promptTokens()).isPositive();
        assertThat(r.spend().prefillTokens()).isEqualTo(generator.lastSession().prefillTokens());
        SearchEvent reported = events.events().stream().filter(e -> e.payload() instanceof SearchEvent.BranchesStarted).findFirst().orElseThrow();
        assertThat(reported.spend().prefillTokens()).isEqualTo(started.getFirst().promptTokens());
    }

    @Test
    void aStartRefusedWhenItsAnswerIsReadFailsTheSearchWithItsCodeAndNoBranchIsReported() {
        List<String> calls = new ArrayList<>();
        SearchRunner ahead = new SearchRunner((id, deadline) -> new AheadSession(generator.open(id, deadline), calls) {
            @Override
            public int start(String prompt, List<Long> branchIds, SamplingParams sampling) {
                throw new GenerationException(StatusCode.RESOURCE_EXHAUSTED, "no room for 4 branches");
            }
        }, prm, SearchSettings.defaults());
        Recorded events = new Recorded();
        SearchResult r = ahead.run(Requests.of("12*4+7-9", "best_of_n", Map.of("n", "4"), Requests.generous()), events);
        events.assertWellFormed(r);
        assertThat(r.stopReason()).isEqualTo(StopReason.FAILED);
        assertThat(r.errorCode()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED.name());
        assertThat(r.stopDetail()).contains("no room for 4 branches");
        assertThat(events.of(SearchEvent.BranchesStarted.class)).isEmpty();
        assertThat(events.of(SearchEvent.BranchFinished.class)).isEmpty();
    }

    @Test
    void noGeneratorToOpenASessionOnGivesFailed() {
        SearchRunner failing = new SearchRunner((id, deadline) -> {
            throw new GenerationException(StatusCode.UNAVAILABLE, "no generator pod");
        }, prm, SearchSettings.defaults());
        Recorded events = new Recorded();
        SearchResult r = failing.run(Requests.of("1+2", "best_of_n", Map.of(), Requests.generous()), events);
        events.assertWellFormed(r);
        assertThat(r.stopReason()).isEqualTo(StopReason.FAILED);
        assertThat(r.errorCode()).isEqualTo(StatusCode.UNAVAILABLE.name());
    }

    @Test
    void aThrowingEventConsumerDoesNotStopTheSearch() {
        SearchResult r = runner.run(Requests.of("1+2", "best_of_n", Map.of("n", "2"), Requests.generous()), e -> {
            throw new IllegalStateException("listener bug");
        });
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.answer()).isNotNull();
    }

    @Test
    void theSameSeedMakesTheSameSearch() {
        SearchRequest request = Requests.of("(61-19)*2+5*3", "beam_search", Map.of("n", "8", "width", "2"), Requests.generous(), 7L);
        Recorded first = new Recorded();
        Recorded second = new Recorded();
        SearchResult a = runner.run(request, first);
        SearchResult b = runner.run(request, second);
        assertThat(b.answer()).isEqualTo(a.answer());
        assertThat(b.steps()).isEqualTo(a.steps());
        assertThat(second.events().stream().map(SearchEvent::payload).filter(p -> !(p instanceof SearchEvent.Finished)).toList())
                .isEqualTo(first.events().stream().map(SearchEvent::payload).filter(p -> !(p instanceof SearchEvent.Finished)).toList());
    }

    private static void join(Thread t) {
        try {
            t.join(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /**
     * A session that starts as one over the network does: the Start goes out with the first Extend (or when its
     * answer is asked for), not at once.
     */
    static class AheadSession implements GenerationSession {
        private final GenerationSession inner;
        private final List<String> calls;
        private Runnable unsent;
        private Runnable startFailure = () -> {
        };

        AheadSession(GenerationSession inner, List<String> calls) {
            this.inner = inner;
            this.calls = calls;
        }

        @Override
        public PendingStart startAhead(String prompt, List<Long> branchIds, SamplingParams sampling) {
            calls.add("startAhead");
            int[] tokens = {-1};
            RuntimeException[] failure = {null};
            unsent = () -> {
                calls.add("start");
                try {
                    tokens[0] = start(prompt, branchIds, sampling);
                } catch (RuntimeException e) {
                    failure[0] = e;
                }
            };
            startFailure = () -> {
                if (failure[0] != null) {
                    throw failure[0];
                }
            };
            return () -> {
                if (unsent != null) {
                    unsent.run();
                    unsent = null;
                }
                calls.add("promptTokens");
                startFailure.run();
                return tokens[0];
            };
        }

        /** Sends the held Start; a command that carried a failing Start fails with the Start's failure, as it does over gRPC. */
        private void send() {
            Runnable start = unsent;
            unsent = null;
            if (start != null) {
                start.run();
                startFailure.run();
            }
        }

        @Override
        public int start(String prompt, List<Long> branchIds, SamplingParams sampling) {
            return inner.start(prompt, branchIds, sampling);
        }

        @Override
        public void extend(List<Long> branchIds, Extension extension, Consumer<Step> onStep) {
            calls.add("extend");
            send();
            inner.extend(branchIds, extension, onStep);
        }

        @Override
        public void fork(long parentId, List<Long> childIds, List<Long> childSeeds) {
            send();
            inner.fork(parentId, childIds, childSeeds);
        }

        @Override
        public void cancel(Collection<Long> branchIds) {
            send();
            inner.cancel(branchIds);
        }

        @Override
        public ProbeResult probe(long branchId, String cue, int maxTokens, String stop) {
            send();
            return inner.probe(branchId, cue, maxTokens, stop);
        }

        @Override
        public int append(long branchId, String text) {
            send();
            return inner.append(branchId, text);
        }

        @Override
        public SessionTotals close() {
            return inner.close();
        }
    }

    /** A session whose generator has gone away after the start. */
    static final class BrokenSession implements GenerationSession {
        @Override
        public int start(String prompt, List<Long> branchIds, SamplingParams sampling) {
            return 5;
        }

        @Override
        public void extend(List<Long> branchIds, Extension extension, Consumer<Step> onStep) {
            throw new GenerationException(StatusCode.UNAVAILABLE, "generator gone");
        }

        @Override
        public void fork(long parentId, List<Long> childIds, List<Long> childSeeds) {
            throw new GenerationException(StatusCode.UNAVAILABLE, "generator gone");
        }

        @Override
        public void cancel(Collection<Long> branchIds) {
            throw new GenerationException(StatusCode.UNAVAILABLE, "generator gone");
        }

        @Override
        public ProbeResult probe(long branchId, String cue, int maxTokens, String stop) {
            throw new GenerationException(StatusCode.UNAVAILABLE, "generator gone");
        }

        @Override
        public int append(long branchId, String text) {
            throw new GenerationException(StatusCode.UNAVAILABLE, "generator gone");
        }

        @Override
        public SessionTotals close() {
            throw new GenerationException(StatusCode.UNAVAILABLE, "generator gone");
        }
    }
}
