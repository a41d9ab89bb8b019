package io.ttsmesh.mesh.inprocess;

import io.ttsmesh.generator.engine.Command;
import io.ttsmesh.generator.engine.EngineSession;
import io.ttsmesh.generator.engine.ErrorCode;
import io.ttsmesh.generator.engine.Event;
import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.generator.engine.Sampling;
import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.generation.GenerationException;
import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.ProbeResult;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.generation.SessionTotals;
import io.ttsmesh.search.generation.Step;
import io.ttsmesh.search.generation.StepEnd;
import io.ttsmesh.search.generation.TokenLogprob;
import io.ttsmesh.search.status.StatusCode;

import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One search's generation session on the engine. Calls block the caller until the engine answers or the
 * session's deadline passes; events are handed over to the calling thread, so {@code onStep} runs there
 * and may itself call {@link #cancel} (answers to the outer call that arrive meanwhile wait their turn).
 * Not for concurrent use by several threads (a search drives its session from one thread).
 */
final class InProcessGenerationSession implements GenerationSession {

    /** Close is answered even after the deadline, within this grace, so the search's account can be checked. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    private final EngineSession session;
    private final Instant deadline;
    private final Clock clock;
    private final LinkedBlockingQueue<Event> arrived = new LinkedBlockingQueue<>();
    private final Map<Long, ArrayDeque<Event>> waiting = new HashMap<>();
    private final Set<Long> forgotten = new HashSet<>();
    private long commandIds;
    /** Some branch's sampling reads per-token log-probabilities; without one the engine records only their mean. */
    private boolean tokenLogprobs;
    private SessionTotals closed;

    InProcessGenerationSession(GeneratorEngine engine, String requestId, Instant deadline, Clock clock) {
        this.deadline = deadline;
        this.clock = clock;
        this.session = engine.openSession(requestId, arrived::add);
    }

    @Override
    public int start(String prompt, List<Long> branchIds, SamplingParams sampling) {
        SamplingParams s = sampling == null ? SamplingParams.defaults() : sampling;
        tokenLogprobs |= s.tokenLogprobs();
        long id = submit(new Command.Start(++commandIds, prompt, List.copyOf(branchIds),
                new Sampling(s.temperature(), s.topP(), s.topK(), s.seed(), s.topLogprobs()), List.of(), null));
        return switch (next(id, deadline)) {
            case Event.Started started -> started.promptTokens();
            case Event event -> throw failure(event);
        };
    }

    @Override
    public void extend(List<Long> branchIds, Extension extension, Consumer<Step> onStep) {
        Extension.ConfidenceStop stop = extension.confidenceStop();
        long id = submit(new Command.Extend(++commandIds, List.copyOf(branchIds), extension.maxTokens(), extension.toEnd(),
                extension.suppressEos(), extension.reseed(),
                stop == null ? null : new Command.ConfidenceStop(stop.window(), stop.threshold()), List.of(), false,
                tokenLogprobs));
        Set<Long> unanswered = new LinkedHashSet<>(branchIds);
        try {
            while (!unanswered.isEmpty()) {
                Event event;
                try {
                    event = next(id, deadline);
                } catch (GenerationException expired) {
                    cancelQuietly(unanswered);
                    throw expired;
                }
                if (!(event instanceof Event.Step step)) {
                    throw failure(event);
                }
                unanswered.remove(step.branchId());
                onStep.accept(step(step));
            }
        } finally {
            if (!unanswered.isEmpty()) {
                forget(id);
            }
        }
    }

    @Override
    public void fork(long parentId, List<Long> childIds, List<Long> childSeeds) {
        long id = submit(new Command.Fork(++commandIds, parentId, List.copyOf(childIds),
                childSeeds == null ? List.of() : List.copyOf(childSeeds)));
        Event answer = next(id, deadline);
        if (!(answer instanceof Event.Forked)) {
            throw failure(answer);
        }
    }

    @Override
    public void cancel(Collection<Long> branchIds) {
        long id = submit(new Command.Cancel(++commandIds, List.copyOf(branchIds)));
        Event.Failed unknown = null;
        while (true) {
            Event event = next(id, deadline);
            if (event instanceof Event.Cancelled) {
                break;
            }
            if (event instanceof Event.Failed failed && failed.code() == ErrorCode.NOT_FOUND) {
                unknown = failed;
            } else {
                throw failure(event);
            }
        }
        if (unknown != null) {
            throw failure(unknown);
        }
    }

    @Override
    public ProbeResult probe(long branchId, String cue, int maxTokens, String stop) {
        long id = submit(new Command.Probe(++commandIds, branchId, cue == null ? "" : cue, maxTokens,
                stop == null ? "" : stop));
        return switch (next(id, deadline)) {
            case Event.Probed p -> new ProbeResult(p.branchId(), p.text(), p.cueTokens(), p.generatedTokens());
            case Event event -> throw failure(event);
        };
    }

    @Override
    public int append(long branchId, String text) {
        long id = submit(new Command.Append(++commandIds, branchId, text));
        return switch (next(id, deadline)) {
            case Event.Appended a -> a.tokens();
            case Event event -> throw failure(event);
        };
    }

    @Override
    public SessionTotals close() {
        if (closed != null) {
            return closed;
        }
        long id = submit(new Command.Close(++commandIds));
        Instant until = deadline.isAfter(clock.instant()) ? deadline : clock.instant().plus(CLOSE_GRACE);
        Event answer;
        try {
            answer = next(id, until);
        } catch (GenerationException e) {
            session.abandon();
            throw e;
        }
        if (!(answer instanceof Event.Closed c)) {
            throw failure(answer);
        }
        closed = new SessionTotals(c.branchesFreed(), c.generatedTokens(), c.prefillTokens());
        return closed;
    }

    // ------------------------------------------------------------------ plumbing

    private long submit(Command command) {
        if (!clock.instant().isBefore(deadline) && !(command instanceof Command.Close)) {
            throw new GenerationException(StatusCode.DEADLINE_EXCEEDED, "the search's deadline " + deadline + " has passed");
        }
        session.submit(command);
        return command.commandId();
    }

    /**
     * The next answer to {@code command}: first those that arrived while another call was waiting, then
     * new ones (answers to other commands are put aside for their callers).
     */
    private Event next(long command, Instant until) {
        ArrayDeque<Event> early = waiting.get(command);
        if (early != null && !early.isEmpty()) {
            return early.poll();
        }
        while (true) {
            long left = Duration.between(clock.instant(), until).toNanos();
            Event event;
            try {
                event = left <= 0 ? null : arrived.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GenerationException(StatusCode.CANCELLED, "interrupted while waiting for the generator", e);
            }
            if (event == null) {
                forget(command);
                throw new GenerationException(StatusCode.DEADLINE_EXCEEDED, "no answer from the generator before the deadline " + until);
            }
            if (event.commandId() == command) {
                return event;
            }
            if (!forgotten.contains(event.commandId())) {
                waiting.computeIfAbsent(event.commandId(), k -> new ArrayDeque<>()).add(event);
            }
        }
    }

    /** Answers still to come for an abandoned call are dropped. */
    private void forget(long command) {
        forgotten.add(command);
        waiting.remove(command);
    }

    private void cancelQuietly(Collection<Long> branchIds) {
        session.submit(new Command.Cancel(++commandIds, new ArrayList<>(branchIds)));
        forget(commandIds);
    }

    private static GenerationException failure(Event event) {
        if (event instanceof Event.Failed failed) {
            return new GenerationException(StatusCode.named(failed.code().name()), failed.message());
        }
        return new GenerationException(StatusCode.INTERNAL, "unexpected answer from the generator: " + event);
    }

    private static Step step(Event.Step s) {
        List<TokenLogprob> logprobs = new ArrayList<>(s.logprobs().size());
        for (io.ttsmesh.generator.engine.TokenLogprob lp : s.logprobs()) {
            List<TokenLogprob.Alternative> top = new ArrayList<>(lp.top().size());
            for (io.ttsmesh.generator.engine.TokenLogprob.Alternative a : lp.top()) {
                top.add(new TokenLogprob.Alternative(a.tokenId(), a.token(), a.logprob()));
            }
            logprobs.add(new TokenLogprob(lp.tokenId(), lp.token(), lp.logprob(), top));
        }
        return new Step(s.branchId(), s.text(), s.tokenIds().length, logprobs, Step.meanLogprob(logprobs, s.meanLogprob()),
                StepEnd.valueOf(s.end().name()), s.finished(), s.length());
    }
}
