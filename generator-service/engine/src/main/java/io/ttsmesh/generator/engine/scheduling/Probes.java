package io.ttsmesh.generator.engine.scheduling;

import io.ttsmesh.generator.engine.Command;
import io.ttsmesh.generator.engine.ErrorCode;
import io.ttsmesh.generator.engine.Event;
import io.ttsmesh.generator.engine.StepEnd;
import io.ttsmesh.generator.engine.sampling.SamplingSettings;

import java.util.List;

import static io.ttsmesh.generator.engine.scheduling.Rejection.require;

/**
 * Probe: read an intermediate answer without touching the branch. A copy shares the branch's KV, the cue
 * is prefilled on the copy, the copy decodes greedily in the batch like any branch and is freed with its
 * answer. Engine thread only.
 */
final class Probes {

    private final EngineLoop loop;
    private final Admission admission;

    Probes(EngineLoop loop, Admission admission) {
        this.loop = loop;
        this.admission = admission;
    }

    /** Checks a Probe and runs it once the branch is idle. */
    void probe(SessionState session, Command.Probe command, int[] cue) {
        Branch branch = session.live(List.of(command.branchId()), "probe.branch_id").getFirst();
        int maxStep = loop.settings.maxStepTokens();
        require(command.maxTokens() >= 1 && command.maxTokens() <= maxStep, ErrorCode.INVALID_ARGUMENT,
                "probe.max_tokens must be in [1, " + maxStep + "], got " + Integer.toUnsignedString(command.maxTokens()));
        admission.requireFits(branch, cue.length, "probe.cue");
        admission.requirePrefillSlot();
        admission.requireRoomToWait(List.of(branch));
        long bytesPerToken = loop.model.kvShape().bytesPerToken();
        long prefillBytes = (cue.length + 1) * bytesPerToken;
        long generationBytes = command.maxTokens() * bytesPerToken;
        admission.reserve(prefillBytes + generationBytes, "a probe of " + command.maxTokens() + " tokens");
        String stop = command.stop() == null || command.stop().isEmpty() ? null : command.stop();
        branch.whenIdle(new Branch.Deferred() {
            @Override
            public void run() {
                if (branch.length + cue.length >= loop.contextLength) {
                    loop.ledger.unreserve(prefillBytes + generationBytes);
                    loop.fail(session, command.commandId(), ErrorCode.INVALID_ARGUMENT, "probe.cue (" + cue.length
                            + " tokens) no longer fits after branch " + branch.id + "'s " + branch.length + " tokens",
                            List.of(branch.id));
                    return;
                }
                startProbe(session, command, branch, cue, stop == null ? branch.delimiter : stop, prefillBytes,
                        generationBytes);
            }

            @Override
            public void abandon(Branch ended) {
                loop.ledger.unreserve(prefillBytes + generationBytes);
                loop.fail(session, command.commandId(), ended.state == Branch.State.CANCELLED ? ErrorCode.CANCELLED
                        : ErrorCode.FAILED_PRECONDITION, "branch " + ended.id + " ended (" + ended.finishedBy
                        + ") before it could be probed", List.of(ended.id));
            }
        });
    }

    /** Copies the branch (sharing its KV), prefills the cue on the copy and decodes greedily on it. */
    private void startProbe(SessionState session, Command.Probe command, Branch branch, int[] cue, String stop,
                            long prefillBytes, long generationBytes) {
        Branch copy = new Branch(session, branch.id, true);
        branch.copyInto(copy, branch.seed);
        copy.sampling = SamplingSettings.greedy(0);
        session.probes.put(copy, command.commandId());
        Generation.Answer answer = (generation, end) -> {
            session.probes.remove(copy);
            if (copy.isLive()) {
                loop.release(copy, Branch.State.FINISHED, end);
            }
            if (end == StepEnd.CANCELLED) {
                loop.fail(session, command.commandId(), ErrorCode.CANCELLED, "probe of branch " + branch.id
                        + " cancelled: the session closed", List.of(branch.id));
                return;
            }
            String text = generation.text.toString();
            int cut = text.indexOf(stop);
            session.emit(new Event.Probed(command.commandId(), branch.id, cut >= 0 ? text.substring(0, cut) : text,
                    cue.length, generation.count));
        };
        Runnable generate = () -> loop.beginGeneration(new Generation(copy, command.commandId(), answer,
                command.maxTokens(), new String[] {stop}, false, null, false, false, generationBytes, null));
        int[] chunk = copy.unfedWith(cue);
        if (chunk.length == 0) {
            loop.ledger.unreserve(prefillBytes);
            generate.run();
            return;
        }
        copy.state = Branch.State.PREPARING;
        PrefillTask task = new PrefillTask(copy.tail, chunk, prefillBytes, copy::isLive, (segment, next) -> {
            copy.preparing = null;
            copy.extendKv(segment);
            copy.append(cue);
            copy.text.skipTo(copy.length);
            copy.pending = false;
            copy.nextLogits = next;
            copy.state = Branch.State.IDLE;
            session.prefillTokens += cue.length;
            generate.run();
        }, failure -> {
            session.probes.remove(copy);
            loop.ledger.unreserve(generationBytes);
            if (copy.isLive()) {
                loop.release(copy, Branch.State.FINISHED, null);
            }
            loop.fail(session, command.commandId(), failure == null ? ErrorCode.CANCELLED : ErrorCode.INTERNAL,
                    failure == null ? "probe of branch " + branch.id + " cancelled: the session closed" : failure,
                    List.of(branch.id));
        });
        copy.preparing = task;
        loop.enqueuePrefill(task);
    }

    /** Stops a probe in flight (its session closes); its command is answered CANCELLED. */
    void cancel(Branch copy) {
        if (copy.state == Branch.State.EXTENDING) {
            loop.finishStep(copy.generation, StepEnd.CANCELLED);
        } else if (copy.isLive()) {
            loop.release(copy, Branch.State.CANCELLED, StepEnd.CANCELLED);
            if (copy.preparing != null) {
                copy.preparing.dropIfUnwanted();
            }
        }
    }
}
