package io.ttsmesh.orchestrator.mesh;

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
import io.ttsmesh.search.generation.ProbeResult;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.generation.SessionTotals;
import io.ttsmesh.search.generation.Step;
import io.ttsmesh.search.generation.StepEnd;
import io.ttsmesh.search.generation.TokenLogprob;

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
        var command = SessionCommand.newBuilder().setStart(Start.newBuilder()
                .setPrompt(prompt)
                .addAllBranchIds(branchIds)
                .setSampling(sampling(sampling))
                .setStepDelimiter(stepDelimiter));
        if (started) {
            return single(command).getStarted().getPromptTokens();
        }
        // The first Start decides the pod: if it is down, nothing of this search lives there, so move on.
        Set<Endpoint> tried = new HashSet<>();
        while (true) {
            try {
                int promptTokens = sessions.guarded(stream.endpoint(), () -> single(command).getStarted().getPromptTokens());
                started = true;
                return promptTokens;
            } catch (GenerationException e) {
                tried.add(stream.endpoint());
                if (!"UNAVAILABLE".equals(e.code())) {
                    throw e;
                }
                SessionStream other = sessions.reopen(requestId, tried, closeDeadline);
                if (other == null) {
                    throw e;
                }
                stream.cancel("moved to another generator");
                stream = other;
            }
        }
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
                .setSuppressEos(extension.suppressEos());
        if (extension.reseed() != null) {
            extend.setSeed(extension.reseed());
        }
        if (extension.confidenceStop() != null) {
            extend.setConfidenceStop(ConfidenceStop.newBuilder()
                    .setWindow(extension.confidenceStop().window())
                    .setThreshold(extension.confidenceStop().threshold()));
        }
        Set<Long> waiting = new HashSet<>(branchIds);
        try (var command = stream.send(SessionCommand.newBuilder().setExtend(extend))) {
            while (!waiting.isEmpty()) {
                SessionEvent event = command.next(deadline);
                if (!event.hasStep()) {
                    throw unexpected(event, "step");
                }
                var step = event.getStep();
                if (waiting.remove(step.getBranchId())) {
                    // Delivered here, on the caller's thread, in arrival order; onStep may cancel branches.
                    onStep.accept(step(step));
                }
            }
        }
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
        return new Step(step.getBranchId(), step.getText(), step.getTokenIdsCount(), logprobs, end(step.getEnd()),
                step.getFinished(), step.getLength());
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
                    throw new GenerationException("INTERNAL", "generator sent a step without a valid end: " + end);
        };
    }

    @Override
    public void fork(long parentId, List<Long> childIds, List<Long> childSeeds) {
        SessionEvent event = single(SessionCommand.newBuilder().setFork(Fork.newBuilder()
                .setBranchId(parentId).addAllChildIds(childIds).addAllChildSeeds(childSeeds == null ? List.of() : childSeeds)));
        if (!event.hasForked()) {
            throw unexpected(event, "forked");
        }
    }

    @Override
    public void cancel(Collection<Long> branchIds) {
        if (branchIds.isEmpty()) {
            return;
        }
        SessionEvent event = single(SessionCommand.newBuilder().setCancel(Cancel.newBuilder().addAllBranchIds(branchIds)));
        if (!event.hasCancelled()) {
            throw unexpected(event, "cancelled");
        }
    }

    @Override
    public ProbeResult probe(long branchId, String cue, int maxTokens, String stop) {
        SessionEvent event = single(SessionCommand.newBuilder().setProbe(Probe.newBuilder()
                .setBranchId(branchId).setCue(cue).setMaxTokens(maxTokens).setStop(stop == null ? "" : stop)));
        if (!event.hasProbe()) {
            throw unexpected(event, "probe");
        }
        var probe = event.getProbe();
        return new ProbeResult(probe.getBranchId(), probe.getText(), probe.getCueTokens(), probe.getGeneratedTokens());
    }

    @Override
    public int append(long branchId, String text) {
        SessionEvent event = single(SessionCommand.newBuilder().setAppend(Append.newBuilder().setBranchId(branchId).setText(text)));
        if (!event.hasAppended()) {
            throw unexpected(event, "appended");
        }
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
        try (var command = stream.send(SessionCommand.newBuilder().setClose(Close.getDefaultInstance()))) {
            SessionEvent event = command.next(closeDeadline);
            if (!event.hasClosed()) {
                throw unexpected(event, "closed");
            }
            var closed = event.getClosed();
            totals = new SessionTotals(closed.getBranchesFreed(), closed.getGeneratedTokens(), closed.getPrefillTokens());
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
        try (var sent = stream.send(command)) {
            return sent.next(deadline);
        }
    }

    private static GenerationException unexpected(SessionEvent event, String expected) {
        return new GenerationException("INTERNAL", "generator answered with " + event.getEventCase() + " where " + expected + " was due");
    }
}
