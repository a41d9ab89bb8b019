package io.ttsmesh.generator.grpc;

import io.ttsmesh.generator.engine.Command;
import io.ttsmesh.generator.engine.Event;
import io.ttsmesh.generator.engine.ModelDescription;
import io.ttsmesh.generator.engine.Sampling;
import io.ttsmesh.generator.engine.TokenLogprob;
import io.ttsmesh.proto.TopLogprob;
import io.ttsmesh.proto.generator.Appended;
import io.ttsmesh.proto.generator.Cancelled;
import io.ttsmesh.proto.generator.Closed;
import io.ttsmesh.proto.generator.CommandError;
import io.ttsmesh.proto.generator.Forked;
import io.ttsmesh.proto.generator.ModelInfo;
import io.ttsmesh.proto.generator.ProbeResult;
import io.ttsmesh.proto.generator.SessionCommand;
import io.ttsmesh.proto.generator.SessionEvent;
import io.ttsmesh.proto.generator.Started;
import io.ttsmesh.proto.generator.Step;
import io.ttsmesh.proto.generator.StepBatch;
import io.ttsmesh.proto.generator.StepEnd;
import io.ttsmesh.proto.generator.Until;

import java.util.List;

/** generator.proto's messages to the engine's commands and back. Nothing is decided here. */
final class ProtoMapping {

    private ProtoMapping() {
    }

    /** The engine command for a proto command, or null when the command's oneof is not set. */
    static Command command(SessionCommand c) {
        long id = c.getCommandId();
        return switch (c.getCommandCase()) {
            case START -> {
                var s = c.getStart();
                yield new Command.Start(id, s.getPrompt(), s.getBranchIdsList(), sampling(s.getSampling()), s.getSeedsList(),
                        s.getStepDelimiter());
            }
            case EXTEND -> {
                var e = c.getExtend();
                yield new Command.Extend(id, e.getBranchIdsList(), e.getMaxTokens(), e.getUntil() == Until.TO_END,
                        e.getSuppressEos(), e.hasSeed() ? e.getSeed() : null,
                        e.hasConfidenceStop() ? new Command.ConfidenceStop(e.getConfidenceStop().getWindow(),
                                e.getConfidenceStop().getThreshold()) : null, List.of(), false,
                        !e.getOmitTokenLogprobs());
            }
            case FORK -> new Command.Fork(id, c.getFork().getBranchId(), c.getFork().getChildIdsList(),
                    c.getFork().getChildSeedsList());
            case CANCEL -> new Command.Cancel(id, c.getCancel().getBranchIdsList());
            case PROBE -> new Command.Probe(id, c.getProbe().getBranchId(), c.getProbe().getCue(),
                    c.getProbe().getMaxTokens(), c.getProbe().getStop());
            case APPEND -> new Command.Append(id, c.getAppend().getBranchId(), c.getAppend().getText());
            case CLOSE -> new Command.Close(id);
            case COMMAND_NOT_SET -> null;
        };
    }

    private static Sampling sampling(io.ttsmesh.proto.generator.Sampling s) {
        return new Sampling(s.hasTemperature() ? s.getTemperature() : null, s.hasTopP() ? s.getTopP() : null,
                s.hasTopK() ? unsigned(s.getTopK()) : null, s.hasSeed() ? s.getSeed() : null, unsigned(s.getTopLogprobs()));
    }

    /** A uint32 as a non-negative int (values beyond int's range mean "no limit" and are capped). */
    private static int unsigned(int value) {
        return (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(value));
    }

    static SessionEvent event(String requestId, Event e) {
        SessionEvent.Builder b = SessionEvent.newBuilder().setRequestId(requestId).setCommandId(e.commandId());
        switch (e) {
            case Event.Started s -> b.setStarted(Started.newBuilder().addAllBranchIds(s.branchIds())
                    .setPromptTokens(s.promptTokens()));
            case Event.Step s -> b.setStep(step(s));
            case Event.Forked f -> b.setForked(Forked.newBuilder().setBranchId(f.branchId()).addAllChildIds(f.childIds()));
            case Event.Cancelled c -> b.setCancelled(Cancelled.newBuilder().addAllBranchIds(c.branchIds()));
            case Event.Probed p -> b.setProbe(ProbeResult.newBuilder().setBranchId(p.branchId()).setText(p.text())
                    .setCueTokens(p.cueTokens()).setGeneratedTokens(p.generatedTokens()));
            case Event.Appended a -> b.setAppended(Appended.newBuilder().setBranchId(a.branchId()).setTokens(a.tokens())
                    .setLength(a.length()));
            case Event.Closed c -> b.setClosed(Closed.newBuilder().setBranchesFreed(c.branchesFreed())
                    .setGeneratedTokens(c.generatedTokens()).setPrefillTokens(c.prefillTokens()));
            case Event.Failed f -> b.setError(error(f.code().grpcCode(), f.message(), f.branchIds()));
            case Event.Progress p -> throw new IllegalArgumentException("gRPC sessions do not stream tokens");
        }
        return b.build();
    }

    /** Steps answering the same command, as one StepBatch event. */
    static SessionEvent steps(String requestId, List<Event.Step> steps) {
        StepBatch.Builder batch = StepBatch.newBuilder();
        for (Event.Step s : steps) {
            batch.addSteps(step(s));
        }
        return SessionEvent.newBuilder().setRequestId(requestId).setCommandId(steps.getFirst().commandId()).setSteps(batch).build();
    }

    static CommandError error(int code, String message, List<Long> branchIds) {
        return CommandError.newBuilder().setCode(code).setMessage(message).addAllBranchIds(branchIds).build();
    }

    private static Step step(Event.Step s) {
        Step.Builder b = Step.newBuilder().setBranchId(s.branchId()).setText(s.text()).setEnd(StepEnd.valueOf(s.end().name()))
                .setFinished(s.finished()).setLength(s.length()).setMeanLogprob(s.meanLogprob());
        for (int token : s.tokenIds()) {
            b.addTokenIds(token);
        }
        for (TokenLogprob lp : s.logprobs()) {
            io.ttsmesh.proto.TokenLogprob.Builder t = io.ttsmesh.proto.TokenLogprob.newBuilder().setTokenId(lp.tokenId())
                    .setToken(lp.token()).setLogprob(lp.logprob());
            for (TokenLogprob.Alternative a : lp.top()) {
                t.addTop(TopLogprob.newBuilder().setTokenId(a.tokenId()).setToken(a.token()).setLogprob(a.logprob()));
            }
            b.addLogprobs(t);
        }
        return b.build();
    }

    static ModelInfo modelInfo(ModelDescription d) {
        return ModelInfo.newBuilder().setModel(d.model()).setContextLength(d.contextLength()).setVocabSize(d.vocabSize())
                .setStepDelimiter(d.stepDelimiter()).setMaxTopLogprobs(d.maxTopLogprobs()).setMaxStepTokens(d.maxStepTokens())
                .setMaxBranchesPerSession(d.maxBranchesPerSession()).setMaxLiveBranches(d.maxLiveBranches())
                .setLiveBranches(d.liveBranches()).setExecutionProvider(d.executionProvider()).setInstance(d.instance())
                .build();
    }
}
