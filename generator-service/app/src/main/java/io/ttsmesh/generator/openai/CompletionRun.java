package io.ttsmesh.generator.openai;

import io.ttsmesh.generator.engine.Command;
import io.ttsmesh.generator.engine.EngineSession;
import io.ttsmesh.generator.engine.ErrorCode;
import io.ttsmesh.generator.engine.Event;
import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.generator.engine.SessionListener;
import io.ttsmesh.generator.engine.StepEnd;
import io.ttsmesh.generator.engine.TokenLogprob;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One completion request on the engine: an engine session whose branches are the choices (n per
 * prompt), extended to the end in quotas of at most the pod's step bound until max_tokens, EOS or a
 * stop string. Runs on the request's (virtual) thread; the session is always freed at the end.
 */
final class CompletionRun implements SessionListener {

    /** Receives stream chunks; throws when the client went away. */
    interface ChunkSink {
        void chunk(Completion chunk) throws IOException;
    }

    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final GeneratorEngine engine;
    private final CompletionRequest.Plan plan;
    private final String id;
    private final String model;
    private final long created;
    private final long deadlineNanos;
    private final int maxStopLength;
    private final List<ChoiceState> choices = new ArrayList<>();
    private long promptTokens;
    private long commandIds;
    private EngineSession session;

    CompletionRun(GeneratorEngine engine, CompletionRequest.Plan plan, String id, long deadlineNanos) {
        this.engine = engine;
        this.plan = plan;
        this.id = id;
        this.model = engine.describe().model();
        this.created = System.currentTimeMillis() / 1000;
        this.deadlineNanos = deadlineNanos;
        this.maxStopLength = plan.stops().stream().mapToInt(String::length).max().orElse(0);
    }

    @Override
    public void onEvent(Event event) {
        events.add(event);
    }

    /** The whole completion (non-streaming); {@link #start()} first. */
    Completion complete() {
        try {
            while (extend(null)) {
                // until every choice has finished
            }
            List<Completion.Choice> done = choices.stream().map(c -> new Completion.Choice(c.text.toString(), c.index,
                    plan.logprobs() > 0 ? logprobs(c.logprobs, 0) : null, c.finish)).toList();
            return Completion.of(id, created, model, done, usage());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            session.abandon();
        }
    }

    /** Streams the completion as chunks, then a usage chunk if asked for; {@link #start()} first. */
    void stream(ChunkSink sink) throws IOException {
        try {
            while (extend(sink)) {
                // until every choice has finished
            }
            if (plan.includeUsage()) {
                sink.chunk(Completion.of(id, created, model, List.of(), usage()));
            }
        } finally {
            session.abandon();
        }
    }

    private Completion.Usage usage() {
        long completion = choices.stream().mapToLong(c -> c.generated).sum();
        return new Completion.Usage(promptTokens, completion, promptTokens + completion);
    }

    /** Creates the choices' branches (prefilling each prompt once); refusals come out here, before any answer. */
    void start() {
        session = engine.openSession(id, this);
        try {
            startPrompts();
        } catch (RuntimeException e) {
            session.abandon();
            throw e;
        }
    }

    private void startPrompts() {
        for (int p = 0; p < plan.prompts().size(); p++) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < plan.n(); i++) {
                int index = p * plan.n() + i;
                ids.add((long) index);
                choices.add(new ChoiceState(index));
            }
            long command = ++commandIds;
            session.submit(new Command.Start(command, plan.prompts().get(p), ids, plan.sampling(), List.of(), null));
            Event answer = next(command);
            if (answer instanceof Event.Started started) {
                promptTokens += started.promptTokens();
            } else {
                throw refusal((Event.Failed) answer, "prompt");
            }
        }
    }

    /** One Extend over the choices still running; false when none is. */
    private boolean extend(ChunkSink sink) throws IOException {
        List<ChoiceState> running = choices.stream().filter(c -> c.finish == null).toList();
        if (running.isEmpty()) {
            return false;
        }
        int quota = Math.min(engine.settings().maxStepTokens(), plan.maxTokens() - running.getFirst().generated);
        long command = ++commandIds;
        session.submit(new Command.Extend(command, running.stream().map(c -> (long) c.index).toList(), quota, true, false,
                null, null, plan.stops(), sink != null));
        int answered = 0;
        while (answered < running.size()) {
            Event event = next(command);
            switch (event) {
                case Event.Progress progress when sink != null -> {
                    ChoiceState choice = choices.get((int) progress.branchId());
                    choice.text.append(progress.text());
                    choice.logprobs.addAll(progress.tokens());
                    sink.chunk(choice.chunk(progress.tokens(), null));
                }
                case Event.Step step -> {
                    answered++;
                    ChoiceState choice = choices.get((int) step.branchId());
                    if (sink == null) {
                        choice.text.append(step.text());
                        choice.logprobs.addAll(step.logprobs());
                    }
                    choice.generated += step.tokenIds().length;
                    choice.finish = finishReason(step.end(), choice.generated);
                    if (choice.finish != null) {
                        choice.cutAtStop();
                        if (sink != null) {
                            sink.chunk(choice.chunk(List.of(), choice.finish));
                        }
                    }
                }
                case Event.Failed failed -> throw refusal(failed, null);
                default -> {
                    // other answers (none expected) are ignored
                }
            }
        }
        return true;
    }

    private String finishReason(StepEnd end, int generated) {
        return switch (end) {
            case EOS, DELIMITER -> "stop";
            case CONTEXT_LIMIT -> "length";
            case QUOTA -> generated >= plan.maxTokens() ? "length" : null;
            case LOW_CONFIDENCE, CANCELLED -> throw new OpenAiError(500, "server_error", null, null,
                    "generation ended unexpectedly (" + end + ")");
        };
    }

    private Event next(long command) {
        while (true) {
            long left = deadlineNanos - System.nanoTime();
            Event event;
            try {
                event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OpenAiError(503, "server_error", null, null, "interrupted");
            }
            if (event == null) {
                throw new OpenAiError(503, "server_error", null, "timeout", "the completion did not finish in time");
            }
            if (event.commandId() == command) {
                return event;
            }
        }
    }

    private static OpenAiError refusal(Event.Failed failed, String param) {
        int status = switch (failed.code()) {
            case INVALID_ARGUMENT, FAILED_PRECONDITION -> 400;
            case NOT_FOUND -> 404;
            case RESOURCE_EXHAUSTED -> 429;
            default -> 500;
        };
        String type = status == 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error";
        String code = failed.code() == ErrorCode.RESOURCE_EXHAUSTED ? "resource_exhausted" : null;
        return new OpenAiError(status, type, status == 400 ? param : null, code, failed.message());
    }

    private static Completion.Logprobs logprobs(List<TokenLogprob> tokens, int offset) {
        List<String> texts = new ArrayList<>(tokens.size());
        List<Float> logprobs = new ArrayList<>(tokens.size());
        List<Map<String, Float>> tops = new ArrayList<>(tokens.size());
        List<Integer> offsets = new ArrayList<>(tokens.size());
        for (TokenLogprob token : tokens) {
            texts.add(token.token());
            logprobs.add(token.logprob());
            Map<String, Float> top = new LinkedHashMap<>();
            for (TokenLogprob.Alternative a : token.top()) {
                top.putIfAbsent(a.token(), a.logprob());
            }
            tops.add(top);
            offsets.add(offset);
            offset += token.token().length();
        }
        return new Completion.Logprobs(texts, logprobs, tops, offsets);
    }

    /** One choice: its text so far (streamed up to {@code streamed}) and how it ended. */
    private final class ChoiceState {
        final int index;
        final StringBuilder text = new StringBuilder();
        final List<TokenLogprob> logprobs = new ArrayList<>();
        int generated;
        String finish;
        int streamed;
        int tokenOffset;

        ChoiceState(int index) {
            this.index = index;
        }

        /** The stop string is not part of the answer, nor anything after it. */
        void cutAtStop() {
            int cut = text.length();
            for (String stop : plan.stops()) {
                int at = text.indexOf(stop);
                if (at >= 0) {
                    cut = Math.min(cut, at);
                }
            }
            text.setLength(cut);
        }

        /**
         * The next stream chunk of this choice: the text not yet sent, except (while running) a tail that
         * could still turn out to be the start of a stop string.
         */
        Completion chunk(List<TokenLogprob> newTokens, String finishReason) {
            int safe = finishReason != null ? text.length() : Math.max(streamed, text.length() - Math.max(0, maxStopLength - 1));
            String delta = text.substring(Math.min(streamed, safe), safe);
            streamed = Math.max(streamed, safe);
            Completion.Logprobs lp = null;
            if (plan.logprobs() > 0) {
                lp = logprobs(newTokens, tokenOffset);
                for (TokenLogprob t : newTokens) {
                    tokenOffset += t.token().length();
                }
            }
            return Completion.of(id, created, model, List.of(new Completion.Choice(delta, index, lp, finishReason)), null);
        }
    }
}
