package io.ttsmesh.orchestrator.pods;

import io.ttsmesh.proto.TopLogprob;
import io.ttsmesh.proto.generator.Append;
import io.ttsmesh.proto.generator.Cancel;
import io.ttsmesh.proto.generator.Close;
import io.ttsmesh.proto.generator.ConfidenceStop;
import io.ttsmesh.proto.generator.Extend;
import io.ttsmesh.proto.generator.Fork;
import io.ttsmesh.proto.generator.Probe;
import io.ttsmesh.proto.generator.Sampling;
import io.ttsmesh.proto.generator.SessionCommand;
import io.ttsmesh.proto.generator.SessionEvent;
import io.ttsmesh.proto.generator.Start;
import io.ttsmesh.proto.generator.Until;
import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.generation.GenerationException;
import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.PendingStart;
import io.ttsmesh.search.generation.ProbeResult;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.generation.SessionTotals;
import io.ttsmesh.search.generation.Step;
import io.ttsmesh.search.generation.StepEnd;
import io.ttsmesh.search.generation.TokenLogprob;
import io.ttsmesh.search.status.StatusCode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link GenerationSession} over one generator Session stream: all branches of one search on one pod.
 * Every wait is bounded by the search's deadline; {@link #close()} may use a short grace after it to read
 * the generator's totals. If the first Start finds its pod unavailable (nothing lives there yet), the
 * session moves to another pod.
 *
 * <p>Failover: the session keeps the text of every live branch (prompt, steps, appended text). When its pod
 * goes away later (the stream ends UNAVAILABLE), the live branches are started again from their texts on
 * another pod and the interrupted command is repeated there (an Extend only for the branches that had not
 * answered). The re-prefilled tokens are counted ({@link #reprefillTokens()}, a metric, the log line) and in
 * the new pod's totals, and in the search's Spend ({@link #takeFailoverPrefill()}, read after every command).
 * The budget counts generated tokens, which failover does not add. With no other pod left the command fails
 * UNAVAILABLE and the search ends with that code.
 *
 * <p>Round trips: only commands whose answer the search needs are waited for (Start, Extend, Probe, Append,
 * Close), and the session's first Start not on its own: it is written with the first Extend (or whatever command
 * comes next) and its answer read before that command's. Forks and cancels are pipelined: held by the stream and written with the next awaited command, which
 * the generator runs after them (one stream runs its commands in order). A pipelined command that fails is
 * reported by the next awaited command, naming it ("fork of branch 3 into [9, 10] failed: ..."), in place of
 * the failure it caused (an Extend of a child that was never created).
 */
final class GrpcGenerationSession implements GenerationSession {

    private final String requestId;
    private final Instant deadline;
    private final Instant closeDeadline;
    private final String stepDelimiter;
    private final GrpcGenerationSessions sessions;
    private SessionStream stream;
    private boolean started;
    private SessionTotals totals;
    /** Live branches: their whole text so far and their sampling, to start them again elsewhere. */
    private final java.util.Map<Long, LiveBranch> live = new java.util.HashMap<>();
    private final Set<Endpoint> lost = new HashSet<>();
    private long reprefillTokens;
    private long reprefillUnreported;
    private int failovers;
    /** An Extend is waiting for its steps: a cancel (from onStep) must go out at once, its steps are awaited. */
    private boolean extending;
    /** The first Start, held to go out with the next command, until its answer has been read. */
    private AheadStart ahead;
    /** Some branch's sampling reads per-token log-probabilities; without one the Extends omit them. */
    private boolean tokenLogprobs;

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(GrpcGenerationSession.class);

    private record LiveBranch(String text, SamplingParams sampling) {
        LiveBranch plus(String more) {
            return new LiveBranch(text + more, sampling);
        }
    }

    /**
     * The session's first Start: held to go out with the command after it, or flushed and awaited by {@link #start};
     * {@code sent} is null while it is to be held again elsewhere.
     */
    private final class AheadStart implements PendingStart {
        private final SessionCommand.Builder command;
        private final String prompt;
        private final List<Long> branchIds;
        private final SamplingParams sampling;
        private final Set<Endpoint> tried = new HashSet<>();
        private SessionStream.Command sent;
        private Integer promptTokens;
        private GenerationException failure;

        /** @param pipelined whether the client goes on without its answer (it rides with the next command) */
        AheadStart(String prompt, List<Long> branchIds, SamplingParams sampling, boolean pipelined) {
            this.command = startCommand(prompt, branchIds, sampling).setPipelined(pipelined);
            this.prompt = prompt;
            this.branchIds = branchIds;
            this.sampling = sampling;
        }

        @Override
        public int promptTokens() {
            if (promptTokens == null) {
                if (failure == null && ahead != this) {
                    failure = new GenerationException(StatusCode.CANCELLED, "the session closed before its start was answered");
                }
                if (failure != null) {
                    throw failure;
                }
                settleAhead();
            }
            return promptTokens;
        }
    }

    GrpcGenerationSession(String requestId, Instant deadline, Instant closeDeadline, String stepDelimiter,
                          GrpcGenerationSessions sessions, SessionStream stream) {
        this.requestId = requestId;
        this.deadline = deadline;
        this.closeDeadline = closeDeadline;
        this.stepDelimiter = stepDelimiter;
        this.sessions = sessions;
        this.stream = stream;
    }

    /** The generator instance that holds this session's branches. */
    @Override
    public String generator() {
        return stream.endpoint().instance();
    }

    @Override
    public int start(String prompt, List<Long> branchIds, SamplingParams sampling) {
        if (ahead != null) {
            settleAhead();
        }
        if (!started) {
            // The first Start decides the pod (settleAhead moves on from one that is down), here awaited on its own.
            ahead = new AheadStart(prompt, branchIds, sampling, false);
            return ahead.promptTokens();
        }
        var command = startCommand(prompt, branchIds, sampling);
        int promptTokens = withFailover(() -> single(command)).getStarted().getPromptTokens();
        branchIds.forEach(id -> live.put(id, new LiveBranch(prompt, sampling)));
        return promptTokens;
    }

    /**
     * The session's first Start, held to be written with the next command (the first Extend): the generator runs
     * them in order and answers Started before the steps, which {@link #extend} reads first. Later starts are
     * sent and awaited at once (their session has a pod already, and failover knows its branches).
     */
    @Override
    public PendingStart startAhead(String prompt, List<Long> branchIds, SamplingParams sampling) {
        if (started || ahead != null) {
            return GenerationSession.super.startAhead(prompt, branchIds, sampling);
        }
        ahead = new AheadStart(prompt, branchIds, sampling, true);
        try {
            ahead.sent = stream.sendLater(ahead.command);
        } catch (GenerationException e) {
            // Its pod is gone already: settleAhead moves the Start on when it is needed.
        }
        return ahead;
    }

    /**
     * Reads the answer to the first Start, writing it first if nothing has. Its pod decides the session's: when
     * that pod is unavailable (nothing of this search lives there yet) the Start is held again on another one, and
     * the caller repeats there what it sent with it.
     */
    private void settleAhead() {
        AheadStart a = ahead;
        while (true) {
            try {
                if (a.sent == null) {
                    a.sent = stream.sendLater(a.command);
                }
                SessionStream.Command sent = a.sent;
                SessionEvent event = sessions.guarded(stream.endpoint(), () -> {
                    stream.flush();
                    return sent.next(deadline);
                });
                sent.close();
                if (!event.hasStarted()) {
                    throw unexpected(event, "started");
                }
                a.promptTokens = event.getStarted().getPromptTokens();
                started = true;
                ahead = null;
                a.branchIds.forEach(id -> live.put(id, new LiveBranch(a.prompt, a.sampling)));
                return;
            } catch (GenerationException e) {
                if (a.sent != null) {
                    a.sent.close();
                    a.sent = null;
                }
                a.tried.add(stream.endpoint());
                SessionStream other = "UNAVAILABLE".equals(e.code()) ? sessions.reopen(requestId, a.tried, closeDeadline) : null;
                if (other == null) {
                    a.failure = e;
                    ahead = null;
                    throw e;
                }
                stream.cancel("moved to another generator");
                stream = other;
            }
        }
    }

    private SessionCommand.Builder startCommand(String prompt, List<Long> branchIds, SamplingParams sampling) {
        tokenLogprobs |= sampling.tokenLogprobs();
        return SessionCommand.newBuilder().setStart(Start.newBuilder()
                .setPrompt(prompt)
                .addAllBranchIds(branchIds)
                .setSampling(sampling(sampling))
                .setStepDelimiter(stepDelimiter));
    }

    private static Sampling sampling(SamplingParams params) {
        var sampling = Sampling.newBuilder().setTopLogprobs(params.topLogprobs());
        if (params.temperature() != null) {
            sampling.setTemperature(params.temperature());
        }
        if (params.topP() != null) {
            sampling.setTopP(params.topP());
        }
        if (params.topK() != null) {
            sampling.setTopK(params.topK());
        }
        if (params.seed() != null) {
            sampling.setSeed(params.seed());
        }
        return sampling.build();
    }

    @Override
    public void extend(List<Long> branchIds, Extension extension, Consumer<Step> onStep) {
        var extend = Extend.newBuilder()
                .addAllBranchIds(branchIds)
                .setMaxTokens(extension.maxTokens())
                .setUntil(extension.toEnd() ? Until.TO_END : Until.NEXT_STEP)
                .setSuppressEos(extension.suppressEos())
                .setOmitTokenLogprobs(!tokenLogprobs);
        if (extension.reseed() != null) {
            extend.setSeed(extension.reseed());
        }
        if (extension.confidenceStop() != null) {
            extend.setConfidenceStop(ConfidenceStop.newBuilder()
                    .setWindow(extension.confidenceStop().window())
                    .setThreshold(extension.confidenceStop().threshold()));
        }
        Set<Long> waiting = new java.util.LinkedHashSet<>(branchIds);
        while (true) {
            try {
                if (extendOnce(extend, waiting, onStep)) {
                    return;
                }
                // else the first Start's pod was unavailable: the Start went to another pod, and the Extend follows it
            } catch (GenerationException e) {
                if (!failedOver(e)) {
                    throw pipelinedFirst(e);
                }
                // Cancelled meanwhile (by onStep): no need to extend them again.
                waiting.retainAll(live.keySet());
                extend.clearBranchIds().addAllBranchIds(waiting);
                if (waiting.isEmpty()) {
                    return;
                }
            }
        }
    }

    /** False when nothing was extended because the session moved to another pod before its first Start was answered. */
    private boolean extendOnce(Extend.Builder extend, Set<Long> waiting, Consumer<Step> onStep) {
        SessionStream sentOn = stream;
        SessionStream.Command command;
        try {
            command = stream.send(SessionCommand.newBuilder().setExtend(extend));
        } catch (GenerationException e) {
            if (ahead == null) {
                throw e;
            }
            settleAhead(); // its pod went away under the held Start: it moves on (or throws), the Extend follows
            return false;
        }
        extending = true;
        try (command) {
            if (ahead != null) {
                settleAhead(); // answered before the steps: one stream runs its commands in order
                if (stream != sentOn) {
                    return false;
                }
            }
            while (!waiting.isEmpty()) {
                SessionEvent event = command.next(deadline);
                List<io.ttsmesh.proto.generator.Step> steps;
                if (event.hasStep()) {
                    steps = List.of(event.getStep());
                } else if (event.hasSteps()) {
                    steps = event.getSteps().getStepsList();
                } else {
                    throw unexpected(event, "step");
                }
                for (var step : steps) {
                    if (waiting.remove(step.getBranchId())) {
                        track(step);
                        // Delivered here, on the caller's thread, in arrival order; onStep may cancel branches.
                        onStep.accept(step(step));
                    }
                }
            }
        } finally {
            extending = false;
        }
        throwPipelineFailure();
        return true;
    }

    private void track(io.ttsmesh.proto.generator.Step step) {
        if (step.getFinished() || step.getEnd() == io.ttsmesh.proto.generator.StepEnd.CANCELLED) {
            live.remove(step.getBranchId()); // nothing more to generate: not worth moving
        } else {
            live.computeIfPresent(step.getBranchId(), (id, b) -> b.plus(step.getText()));
        }
    }

    /**
     * After a failure: if it was the pod going away, moves every live branch to another pod and answers
     * true (the caller repeats its command there); false when the failure is of another kind. Throws
     * UNAVAILABLE when no pod is left.
     */
    private boolean failedOver(GenerationException e) {
        if (!started || !"UNAVAILABLE".equals(e.code()) || !stream.ended()) {
            return false;
        }
        Endpoint from = stream.endpoint();
        lost.add(from);
        long tokens = 0;
        while (true) {
            SessionStream next = sessions.reopen(requestId, lost, closeDeadline);
            if (next == null) {
                throw new GenerationException(StatusCode.UNAVAILABLE, "generator " + from.instance()
                        + " went away and no other generator could take over its " + live.size() + " live branches: " + e.getMessage(), e);
            }
            stream = next;
            try {
                tokens = restartLiveBranches();
                break;
            } catch (GenerationException again) {
                if (!"UNAVAILABLE".equals(again.code())) {
                    throw again;
                }
                lost.add(next.endpoint());
                next.cancel("failover target unavailable");
            }
        }
        failovers++;
        reprefillTokens += tokens;
        reprefillUnreported += tokens;
        sessions.failedOver(tokens);
        LOG.infof("search %s: generator %s went away; %d live branches moved to %s (%d tokens prefilled again)",
                requestId, from.instance(), live.size(), stream.endpoint().instance(), tokens);
        return true;
    }

    /** Starts every live branch again on the current stream from its text; returns the prompt tokens prefilled. */
    private long restartLiveBranches() {
        java.util.Map<LiveBranch, List<Long>> byPrefix = new java.util.LinkedHashMap<>();
        live.forEach((id, branch) -> byPrefix.computeIfAbsent(branch, b -> new ArrayList<>()).add(id));
        long tokens = 0;
        for (var entry : byPrefix.entrySet()) {
            var command = startCommand(entry.getKey().text(), entry.getValue(), entry.getKey().sampling());
            tokens += sessions.guarded(stream.endpoint(), () -> single(command)).getStarted().getPromptTokens();
        }
        return tokens;
    }

    /** Runs a single command, repeating it on another pod if its pod goes away. */
    private <T> T withFailover(java.util.function.Supplier<T> command) {
        while (true) {
            try {
                return command.get();
            } catch (GenerationException e) {
                if (!failedOver(e)) {
                    throw e;
                }
            }
        }
    }

    @Override
    public long takeFailoverPrefill() {
        long tokens = reprefillUnreported;
        reprefillUnreported = 0;
        return tokens;
    }

    /** Tokens prefilled again on other pods after pods went away, and how often that happened. */
    long reprefillTokens() {
        return reprefillTokens;
    }

    int failovers() {
        return failovers;
    }

    private static Step step(io.ttsmesh.proto.generator.Step step) {
        List<TokenLogprob> logprobs = new ArrayList<>(step.getLogprobsCount());
        for (var lp : step.getLogprobsList()) {
            List<TokenLogprob.Alternative> top = new ArrayList<>(lp.getTopCount());
            for (TopLogprob alt : lp.getTopList()) {
                top.add(new TokenLogprob.Alternative(alt.getTokenId(), alt.getToken(), alt.getLogprob()));
            }
            logprobs.add(new TokenLogprob(lp.getTokenId(), lp.getToken(), lp.getLogprob(), top));
        }
        return new Step(step.getBranchId(), step.getText(), step.getTokenIdsCount(), logprobs,
                Step.meanLogprob(logprobs, step.getMeanLogprob()), end(step.getEnd()), step.getFinished(), step.getLength());
    }

    private static StepEnd end(io.ttsmesh.proto.generator.StepEnd end) {
        return switch (end) {
            case DELIMITER -> StepEnd.DELIMITER;
            case EOS -> StepEnd.EOS;
            case QUOTA -> StepEnd.QUOTA;
            case CONTEXT_LIMIT -> StepEnd.CONTEXT_LIMIT;
            case LOW_CONFIDENCE -> StepEnd.LOW_CONFIDENCE;
            case CANCELLED -> StepEnd.CANCELLED;
            case STEP_END_UNSPECIFIED, UNRECOGNIZED ->
                    throw new GenerationException(StatusCode.INTERNAL, "generator sent a step without a valid end: " + end);
        };
    }

    /** Pipelined: the children exist for every later command; a failure is reported by the next awaited one. */
    @Override
    public void fork(long parentId, List<Long> childIds, List<Long> childSeeds) {
        var command = SessionCommand.newBuilder().setFork(Fork.newBuilder()
                .setBranchId(parentId).addAllChildIds(childIds).addAllChildSeeds(childSeeds == null ? List.of() : childSeeds));
        String what = "fork of branch " + parentId + " into " + childIds;
        withFailover(() -> {
            stream.pipeline(command, what);
            return what;
        });
        LiveBranch parent = live.get(parentId);
        if (parent != null) {
            for (int i = 0; i < childIds.size(); i++) {
                SamplingParams sampling = childSeeds == null || childSeeds.isEmpty() || parent.sampling().seed() == null
                        ? parent.sampling() : parent.sampling().withSeed(childSeeds.get(i));
                live.put(childIds.get(i), new LiveBranch(parent.text(), sampling));
            }
        }
    }

    @Override
    public void cancel(Collection<Long> branchIds) {
        if (branchIds.isEmpty()) {
            return;
        }
        branchIds.forEach(live::remove);
        try {
            stream.pipeline(SessionCommand.newBuilder().setCancel(Cancel.newBuilder().addAllBranchIds(branchIds)),
                    "cancel of branches " + branchIds);
            if (extending) {
                stream.flush(); // the Extend in flight answers the cancelled branches only once the cancel is there
            }
        } catch (GenerationException e) {
            if (!(stream.ended() && started)) {
                throw e;
            }
            // Their pod went away: they are gone already; the next command moves the others.
        }
    }

    @Override
    public ProbeResult probe(long branchId, String cue, int maxTokens, String stop) {
        SessionEvent event = withFailover(() -> single(SessionCommand.newBuilder().setProbe(Probe.newBuilder()
                .setBranchId(branchId).setCue(cue).setMaxTokens(maxTokens).setStop(stop == null ? "" : stop))));
        if (!event.hasProbe()) {
            throw unexpected(event, "probe");
        }
        var probe = event.getProbe();
        return new ProbeResult(probe.getBranchId(), probe.getText(), probe.getCueTokens(), probe.getGeneratedTokens());
    }

    @Override
    public int append(long branchId, String text) {
        SessionEvent event = withFailover(() -> single(SessionCommand.newBuilder().setAppend(Append.newBuilder().setBranchId(branchId).setText(text))));
        if (!event.hasAppended()) {
            throw unexpected(event, "appended");
        }
        live.computeIfPresent(branchId, (id, b) -> b.plus(text));
        return event.getAppended().getTokens();
    }

    /**
     * Sends Close and waits for the generator's totals, up to the search's deadline plus the close grace.
     * Runs even when the search's thread was interrupted (a cancelled search must still free its branches
     * and learn what it spent); the interrupt flag is restored afterwards. If the totals cannot be had, the
     * stream is cancelled (the generator frees every branch) and the failure is thrown.
     */
    @Override
    public SessionTotals close() {
        if (totals != null) {
            return totals;
        }
        boolean interrupted = Thread.interrupted();
        if (ahead != null && ahead.sent != null) {
            ahead.sent.close(); // never read: the Close goes out after it and frees its branches
        }
        ahead = null;
        try (var command = stream.send(SessionCommand.newBuilder().setClose(Close.getDefaultInstance()))) {
            SessionEvent event = command.next(closeDeadline);
            if (!event.hasClosed()) {
                throw unexpected(event, "closed");
            }
            var closed = event.getClosed();
            totals = new SessionTotals(closed.getBranchesFreed(), closed.getGeneratedTokens(), closed.getPrefillTokens());
            sessions.closed(closed.getAwaitedCommands(), closed.getPipelinedCommands());
            GenerationException late = stream.pipelineFailure();
            if (late != null) {
                // The search is over and every branch is freed: worth a line in the log, not a failed search.
                LOG.warnf("search %s: %s", requestId, late.getMessage());
            }
            stream.complete();
            return totals;
        } catch (RuntimeException e) {
            stream.cancel("session close failed: " + e.getMessage());
            throw e;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private SessionEvent single(SessionCommand.Builder command) {
        SessionEvent event;
        try (var sent = stream.send(command)) {
            event = sent.next(deadline);
        } catch (GenerationException e) {
            throw pipelinedFirst(e);
        }
        throwPipelineFailure();
        return event;
    }

    /** After an awaited command was answered: a pipelined command before it that failed fails the search here. */
    private void throwPipelineFailure() {
        GenerationException failure = stream.pipelineFailure();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The failure to report for an awaited command that failed: a pipelined command's failure before it, which
     * is the cause (an Extend of children whose fork failed), unless the pod went away (failover deals with it).
     */
    private GenerationException pipelinedFirst(GenerationException awaited) {
        if (stream.ended()) {
            return awaited;
        }
        GenerationException cause = stream.pipelineFailure();
        if (cause == null) {
            return awaited;
        }
        cause.addSuppressed(awaited);
        return cause;
    }

    private static GenerationException unexpected(SessionEvent event, String expected) {
        return new GenerationException(StatusCode.INTERNAL, "generator answered with " + event.getEventCase() + " where " + expected + " was due");
    }
}
