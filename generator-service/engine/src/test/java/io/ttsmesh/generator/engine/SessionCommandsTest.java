package io.ttsmesh.generator.engine;

import io.ttsmesh.runtime.BundledModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The session protocol: Append, Probe, Cancel, Close, stop conditions, and the answers to wrong commands. */
class SessionCommandsTest {

    private static final String PROMPT = "Q: 53+(50+20)\n";
    private static GeneratorEngine engine;

    @BeforeAll
    static void start() {
        engine = GeneratorEngine.start(EngineSettings.forModel(BundledModels.generator()).maxStepTokens(200).build());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @AfterEach
    void everythingFreed() {
        awaitFreed(engine);
    }

    static void awaitFreed(GeneratorEngine engine) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((engine.liveBranches() != 0 || engine.kvStoredBytes() != 0 || engine.kvReservedBytes() != 0)
                && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(engine.liveBranches()).as("live branches").isZero();
        assertThat(engine.kvStoredBytes()).as("stored KV bytes").isZero();
        assertThat(engine.kvReservedBytes()).as("reserved KV bytes").isZero();
    }

    private static Event.Failed failed(Event event) {
        assertThat(event).isInstanceOf(Event.Failed.class);
        return (Event.Failed) event;
    }

    @Test
    void stepsEndAtTheDelimiterWithTextTokensAndLogprobs() {
        EventRecorder r = EventRecorder.open(engine, "steps");
        r.start(PROMPT, List.of(1L), Sampling.greedy().withTopLogprobs(3));
        Event.Step step = r.extend(List.of(1L), 100, false).getFirst();
        assertThat(step.end()).isEqualTo(StepEnd.DELIMITER);
        assertThat(step.text()).endsWith("\n").doesNotContain("Q:");
        assertThat(step.finished()).isFalse();
        assertThat(step.tokenIds()).hasSameSizeAs(step.logprobs());
        assertThat(step.length()).isEqualTo(PROMPT.length() + step.tokenIds().length);
        TokenLogprob first = step.logprobs().getFirst();
        assertThat(first.top()).hasSize(3);
        assertThat(first.top().getFirst().tokenId()).as("greedy picks the most likely").isEqualTo(first.tokenId());
        assertThat(first.logprob()).isLessThanOrEqualTo(0f);
        assertThat(first.token()).isEqualTo(engine.tokenizer().tokenText(first.tokenId()));

        Event.Step quota = r.extend(List.of(1L), 2, false).getFirst();
        assertThat(quota.end()).isEqualTo(StepEnd.QUOTA);
        assertThat(quota.tokenIds()).hasSize(2);

        Event.Step rest = r.extend(List.of(1L), 200, true).getFirst();
        assertThat(rest.end()).isIn(StepEnd.EOS, StepEnd.CONTEXT_LIMIT, StepEnd.QUOTA);
        if (rest.end() == StepEnd.EOS) {
            assertThat(rest.finished()).isTrue();
            assertThat(rest.tokenIds()[rest.tokenIds().length - 1]).isEqualTo(engine.modelConfig().eosTokenIds().getFirst());
            assertThat(failed(r.call(Command.Extend.nextStep(r.nextId(), List.of(1L), 5))).code())
                    .isEqualTo(ErrorCode.FAILED_PRECONDITION);
        }
        Event.Closed closed = (Event.Closed) r.call(new Command.Close(r.nextId()));
        assertThat(closed.generatedTokens()).isEqualTo(step.tokenIds().length + quota.tokenIds().length + rest.tokenIds().length);
        assertThat(closed.prefillTokens()).isEqualTo(PROMPT.length());
    }

    @Test
    void suppressEosKeepsTheBranchGoingUntilTheQuota() {
        EventRecorder r = EventRecorder.open(engine, "suppress");
        r.start(PROMPT, List.of(1L), Sampling.greedy());
        Event.Step step = (Event.Step) r.call(new Command.Extend(r.nextId(), List.of(1L), 150, true, true, null, null,
                List.of(), false));
        assertThat(step.end()).isIn(StepEnd.QUOTA, StepEnd.CONTEXT_LIMIT);
        assertThat(step.tokenIds()).doesNotContain(engine.modelConfig().eosTokenIds().getFirst());
        r.call(new Command.Close(r.nextId()));
    }

    @Test
    void confidenceStopEndsALowConfidenceBranch() {
        EventRecorder r = EventRecorder.open(engine, "confidence");
        r.start(PROMPT, List.of(1L, 2L), new Sampling(1f, null, null, 5L, 3));
        Event.Step low = (Event.Step) r.call(new Command.Extend(r.nextId(), List.of(1L), 100, true, false, null,
                new Command.ConfidenceStop(4, 1000f), List.of(), false));
        assertThat(low.end()).isEqualTo(StepEnd.LOW_CONFIDENCE);
        assertThat(low.finished()).isTrue();
        assertThat(low.tokenIds()).hasSize(4);
        Event.Step never = (Event.Step) r.call(new Command.Extend(r.nextId(), List.of(2L), 100, false, false, null,
                new Command.ConfidenceStop(4, -1f), List.of(), false));
        assertThat(never.end()).isNotEqualTo(StepEnd.LOW_CONFIDENCE);

        EventRecorder noLogprobs = EventRecorder.open(engine, "confidence-without-logprobs");
        noLogprobs.start(PROMPT, List.of(1L), Sampling.greedy());
        Event.Failed f = failed(noLogprobs.call(new Command.Extend(noLogprobs.nextId(), List.of(1L), 10, false, false,
                null, new Command.ConfidenceStop(4, 1f), List.of(), false)));
        assertThat(f.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(f.message()).contains("top_logprobs");
        noLogprobs.call(new Command.Close(noLogprobs.nextId()));
        r.call(new Command.Close(r.nextId()));
    }

    @Test
    void probeReadsAnAnswerWithoutChangingTheBranchAndAppendForcesText() {
        EventRecorder r = EventRecorder.open(engine, "probe");
        r.start(PROMPT, List.of(1L), Sampling.greedy());
        r.extend(List.of(1L), 100, false);
        r.call(new Command.Fork(r.nextId(), 1L, List.of(2L, 3L), List.of()));

        Event.Probed probe = (Event.Probed) r.call(new Command.Probe(r.nextId(), 1L, "A:", 20, ""));
        assertThat(probe.cueTokens()).isEqualTo(2);
        assertThat(probe.generatedTokens()).isBetween(1, 20);
        assertThat(probe.text()).doesNotContain("\n").doesNotContain("A:");

        // Appending the cue to a copy and stepping reads the same continuation.
        Event.Appended appended = (Event.Appended) r.call(new Command.Append(r.nextId(), 2L, "A:"));
        assertThat(appended.tokens()).isEqualTo(2);
        Event.Step afterCue = r.extend(List.of(2L), 20, false).getFirst();
        assertThat(afterCue.text()).startsWith(probe.text());
        assertThat(appended.length()).isEqualTo(afterCue.length() - afterCue.tokenIds().length);

        // The probed branch continues exactly like its untouched twin.
        List<Event.Step> twins = r.extend(List.of(1L, 3L), 150, true);
        assertThat(twins.get(0).tokenIds()).isEqualTo(twins.get(1).tokenIds());

        Event.Closed closed = (Event.Closed) r.call(new Command.Close(r.nextId()));
        assertThat(closed.prefillTokens()).isEqualTo(PROMPT.length() + 2 + 2);
    }

    @Test
    void commandsOnABusyBranchWaitTheirTurn() {
        EventRecorder r = EventRecorder.open(engine, "pipelined");
        long start = r.nextId();
        long extend = r.nextId();
        long fork = r.nextId();
        long second = r.nextId();
        r.session.submit(new Command.Start(start, PROMPT, List.of(1L), Sampling.greedy(), List.of(), ""));
        r.session.submit(Command.Extend.nextStep(extend, List.of(1L), 100));
        r.session.submit(new Command.Fork(fork, 1L, List.of(2L), List.of()));
        r.session.submit(Command.Extend.nextStep(second, List.of(1L, 2L), 100));
        assertThat(r.await(start, 1).getFirst()).isInstanceOf(Event.Started.class);
        Event.Step first = (Event.Step) r.await(extend, 1).getFirst();
        assertThat(r.await(fork, 1).getFirst()).isInstanceOf(Event.Forked.class);
        List<Event> seconds = r.await(second, 2);
        assertThat(seconds).allMatch(e -> e instanceof Event.Step);
        assertThat(((Event.Step) seconds.get(0)).text()).isEqualTo(((Event.Step) seconds.get(1)).text());
        assertThat(((Event.Step) seconds.get(0)).length()).isGreaterThan(first.length());
        r.call(new Command.Close(r.nextId()));
    }

    @Test
    void cancelAnswersTheExtendInFlightAndFreesTheKv() {
        EventRecorder r = EventRecorder.open(engine, "cancel");
        List<Long> ids = List.of(1L, 2L, 3L, 4L);
        r.start(PROMPT, ids, new Sampling(1f, null, null, 3L, 0));
        long extend = r.nextId();
        r.session.submit(new Command.Extend(extend, ids, 200, true, true, null, null, List.of(), false));
        long cancel = r.nextId();
        r.session.submit(new Command.Cancel(cancel, List.of(1L, 2L, 3L, 4L, 99L)));
        List<Event> cancelAnswers = r.await(cancel, 2);
        assertThat(failed(cancelAnswers.get(0)).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(failed(cancelAnswers.get(0)).branchIds()).containsExactly(99L);
        assertThat(((Event.Cancelled) cancelAnswers.get(1)).branchIds()).containsExactly(1L, 2L, 3L, 4L);
        List<Event> steps = r.await(extend, 4);
        assertThat(steps).allSatisfy(e -> {
            Event.Step step = (Event.Step) e;
            assertThat(step.end()).isEqualTo(StepEnd.CANCELLED);
            assertThat(step.finished()).isTrue();
            assertThat(step.tokenIds()).hasSizeLessThan(200);
        });
        assertThat(engine.liveBranches()).isZero();
        assertThat(failed(r.call(Command.Extend.nextStep(r.nextId(), List.of(1L), 5))).code()).isEqualTo(ErrorCode.NOT_FOUND);
        Event.Cancelled again = (Event.Cancelled) r.call(new Command.Cancel(r.nextId(), List.of(1L)));
        assertThat(again.branchIds()).as("cancelling an ended branch is accepted").containsExactly(1L);
        r.call(new Command.Close(r.nextId()));
    }

    @Test
    void closeAndDisconnectFreeEverything() {
        EventRecorder r = EventRecorder.open(engine, "close");
        r.start(PROMPT, List.of(1L, 2L, 3L), Sampling.defaults().withSeed(1L));
        long extend = r.nextId();
        r.session.submit(new Command.Extend(extend, List.of(1L, 2L), 200, true, true, null, null, List.of(), false));
        Event.Closed closed = (Event.Closed) r.call(new Command.Close(r.nextId()));
        assertThat(closed.branchesFreed()).isEqualTo(3);
        assertThat(r.await(extend, 2)).allMatch(e -> ((Event.Step) e).end() == StepEnd.CANCELLED);
        Event.Failed late = failed(r.call(Command.Extend.nextStep(r.nextId(), List.of(3L), 5)));
        assertThat(late.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        assertThat(late.message()).contains("closed");
        assertThat(failed(r.call(new Command.Close(r.nextId()))).code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        awaitFreed(engine);

        EventRecorder gone = EventRecorder.open(engine, "disconnect");
        gone.start(PROMPT, List.of(1L, 2L, 3L, 4L), Sampling.defaults().withSeed(2L));
        gone.session.submit(new Command.Extend(gone.nextId(), List.of(1L, 2L, 3L), 200, true, true, null, null, List.of(),
                false));
        assertThat(engine.liveBranches()).isEqualTo(4);
        gone.session.abandon();
        awaitFreed(engine);
    }

    @Test
    void wrongCommandsAreAnsweredWithAnErrorAndTheSessionGoesOn() {
        EventRecorder r = EventRecorder.open(engine, "errors");
        EventRecorder bystander = EventRecorder.open(engine, "bystander");
        bystander.start(PROMPT, List.of(1L), Sampling.greedy());
        r.start(PROMPT, List.of(1L, 2L), Sampling.greedy());

        record Case(Command command, ErrorCode code, String mentions) {
        }
        long big = 300;
        List<Case> cases = List.of(
                new Case(Command.Extend.nextStep(r.nextId(), List.of(7L), 10), ErrorCode.NOT_FOUND, "7"),
                new Case(Command.Extend.nextStep(r.nextId(), List.of(1L), 0), ErrorCode.INVALID_ARGUMENT, "max_tokens"),
                new Case(Command.Extend.nextStep(r.nextId(), List.of(1L), -1), ErrorCode.INVALID_ARGUMENT, "max_tokens"),
                new Case(Command.Extend.nextStep(r.nextId(), List.of(1L), 1_000_000), ErrorCode.INVALID_ARGUMENT, "max_tokens"),
                new Case(Command.Extend.nextStep(r.nextId(), List.of(1L, 1L), 10), ErrorCode.INVALID_ARGUMENT, "duplicates"),
                new Case(Command.Extend.nextStep(r.nextId(), List.of(), 10), ErrorCode.INVALID_ARGUMENT, "branch_ids"),
                new Case(new Command.Start(r.nextId(), "Q: " + "1+".repeat((int) big) + "1\n", List.of(5L), Sampling.greedy(),
                        List.of(), ""), ErrorCode.INVALID_ARGUMENT, "context"),
                new Case(new Command.Start(r.nextId(), "", List.of(5L), Sampling.greedy(), List.of(), ""),
                        ErrorCode.INVALID_ARGUMENT, "prompt"),
                new Case(new Command.Start(r.nextId(), PROMPT, List.of(5L), new Sampling(7f, null, null, null, 0), List.of(), ""),
                        ErrorCode.INVALID_ARGUMENT, "temperature"),
                new Case(new Command.Start(r.nextId(), PROMPT, List.of(5L), new Sampling(Float.NaN, null, null, null, 0),
                        List.of(), ""), ErrorCode.INVALID_ARGUMENT, "temperature"),
                new Case(new Command.Start(r.nextId(), PROMPT, List.of(5L), new Sampling(1f, 0f, null, null, 0), List.of(), ""),
                        ErrorCode.INVALID_ARGUMENT, "top_p"),
                new Case(new Command.Start(r.nextId(), PROMPT, List.of(5L), new Sampling(1f, 1.5f, null, null, 0), List.of(), ""),
                        ErrorCode.INVALID_ARGUMENT, "top_p"),
                new Case(new Command.Start(r.nextId(), PROMPT, List.of(5L), new Sampling(1f, null, -3, null, 0), List.of(), ""),
                        ErrorCode.INVALID_ARGUMENT, "top_k"),
                new Case(new Command.Start(r.nextId(), PROMPT, List.of(5L), Sampling.greedy().withTopLogprobs(1000), List.of(), ""),
                        ErrorCode.INVALID_ARGUMENT, "top_logprobs"),
                new Case(new Command.Start(r.nextId(), PROMPT, List.of(1L), Sampling.greedy(), List.of(), ""),
                        ErrorCode.INVALID_ARGUMENT, "already used"),
                new Case(new Command.Start(r.nextId(), PROMPT, List.of(5L, 5L), Sampling.greedy(), List.of(), ""),
                        ErrorCode.INVALID_ARGUMENT, "twice"),
                new Case(new Command.Start(r.nextId(), PROMPT, List.of(5L, 6L), Sampling.greedy(), List.of(1L), ""),
                        ErrorCode.INVALID_ARGUMENT, "seeds"),
                new Case(new Command.Fork(r.nextId(), 9L, List.of(5L), List.of()), ErrorCode.NOT_FOUND, "9"),
                new Case(new Command.Fork(r.nextId(), 1L, List.of(2L), List.of()), ErrorCode.INVALID_ARGUMENT, "already used"),
                new Case(new Command.Probe(r.nextId(), 1L, "A:", 0, ""), ErrorCode.INVALID_ARGUMENT, "max_tokens"),
                new Case(new Command.Probe(r.nextId(), 8L, "A:", 5, ""), ErrorCode.NOT_FOUND, "8"),
                new Case(new Command.Append(r.nextId(), 1L, ""), ErrorCode.INVALID_ARGUMENT, "text"),
                new Case(new Command.Append(r.nextId(), 1L, "9".repeat(300)), ErrorCode.INVALID_ARGUMENT, "context"),
                new Case(new Command.Extend(r.nextId(), List.of(1L), 5, false, false, null, new Command.ConfidenceStop(0, 1f),
                        List.of(), false), ErrorCode.INVALID_ARGUMENT, "window"));
        for (Case c : cases) {
            Event.Failed f = failed(r.call(c.command()));
            assertThat(f.code()).as(c.command().toString()).isEqualTo(c.code());
            assertThat(f.message()).as(c.command().toString()).contains(c.mentions());
        }
        long reused = r.nextId();
        r.call(Command.Extend.nextStep(reused, List.of(1L), 3));
        assertThat(failed(r.call(Command.Extend.nextStep(reused, List.of(1L), 3))).message()).contains("command_id");

        // The session and the other session go on.
        assertThat(r.extend(List.of(1L, 2L), 50, false)).hasSize(2);
        assertThat(bystander.extend(List.of(1L), 50, false)).hasSize(1);
        r.call(new Command.Close(r.nextId()));
        bystander.call(new Command.Close(bystander.nextId()));
    }
}
