package io.ttsmesh.generator.engine.scheduling;

import io.ttsmesh.generator.engine.Command;
import io.ttsmesh.generator.engine.ErrorCode;
import io.ttsmesh.generator.engine.Event;
import io.ttsmesh.generator.engine.Sampling;
import io.ttsmesh.generator.engine.StepEnd;
import io.ttsmesh.generator.engine.TokenLogprob;
import io.ttsmesh.generator.engine.sampling.BranchRandom;
import io.ttsmesh.generator.engine.sampling.SamplingSettings;
import io.ttsmesh.generator.engine.text.IncrementalDetokenizer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static io.ttsmesh.generator.engine.scheduling.Rejection.require;

/**
 * Checks each command against the session's state and the engine's bounds, then applies it. A wrong
 * command is answered with a {@link Event.Failed} naming the field and the branches, and changes
 * nothing; commands on a busy branch wait in its queue and run in order of arrival. Engine thread only.
 */
final class CommandExecutor {

    private static final int MAX_CONFIDENCE_WINDOW = 1 << 16;

    private final EngineLoop loop;
    private final Admission admission;
    private final Probes probes;
    private final Set<SessionState> sessions = new HashSet<>();
    private final SplittableRandom randomSeeds = new SplittableRandom();

    CommandExecutor(EngineLoop loop) {
        this.loop = loop;
        this.admission = new Admission(loop);
        this.probes = new Probes(loop, admission);
    }

    void execute(SessionState session, Command command, int[] tokens, long arrivedNanos) {
        try {
            require(!session.closed, ErrorCode.FAILED_PRECONDITION, "the session is closed");
            require(session.commandIds.add(command.commandId()), ErrorCode.INVALID_ARGUMENT,
                    "command_id " + command.commandId() + " was already used in this session");
            sessions.add(session);
            switch (command) {
                case Command.Start start -> start(session, start, tokens);
                case Command.Extend extend -> extend(session, extend, arrivedNanos);
                case Command.Fork fork -> fork(session, fork);
                case Command.Cancel cancel -> cancel(session, cancel);
                case Command.Probe probe -> probes.probe(session, probe, tokens);
                case Command.Append append -> append(session, append, tokens);
                case Command.Close close -> closeSession(session, close.commandId());
            }
        } catch (Rejection r) {
            fail(session, command.commandId(), r.code, r.getMessage(), r.branchIds);
        }
    }

    private void fail(SessionState session, long commandId, ErrorCode code, String message, List<Long> branchIds) {
        loop.fail(session, commandId, code, message, branchIds);
    }

    // ------------------------------------------------------------------ Start

    private void start(SessionState session, Command.Start command, int[] prompt) {
        List<Long> ids = command.branchIds();
        require(!ids.isEmpty(), ErrorCode.INVALID_ARGUMENT, "start.branch_ids is empty: name at least one new branch");
        session.requireNewIds(ids, "start.branch_ids");
        require(command.seeds().isEmpty() || command.seeds().size() == ids.size(), ErrorCode.INVALID_ARGUMENT,
                "start.seeds must be empty or hold one seed per branch id (" + ids.size() + "), got " + command.seeds().size());
        Sampling requested = command.sampling() == null ? Sampling.defaults() : command.sampling();
        SamplingSettings sampling = resolve(requested);
        require(command.prompt() != null && !command.prompt().isEmpty() && prompt.length > 0, ErrorCode.INVALID_ARGUMENT,
                "start.prompt is empty");
        require(prompt.length < loop.contextLength, ErrorCode.INVALID_ARGUMENT, "start.prompt is " + prompt.length
                + " tokens but the context is " + loop.contextLength + " tokens and at least one must be left to generate");
        admission.requireCapacity(session, ids.size());
        admission.requirePrefillSlot();
        long bytes = prompt.length * loop.model.kvShape().bytesPerToken();
        admission.reserve(bytes, "the prompt's " + prompt.length + " tokens");

        String delimiter = command.stepDelimiter() == null || command.stepDelimiter().isEmpty()
                ? loop.defaultDelimiter : command.stepDelimiter();
        long requestSeed = requested.seed() != null ? requested.seed() : randomSeeds.nextLong();
        List<Branch> created = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            Branch branch = new Branch(session, ids.get(i), false);
            branch.sampling = sampling;
            branch.seed = command.seeds().isEmpty() ? BranchRandom.derive(requestSeed, ids.get(i)) : command.seeds().get(i);
            branch.delimiter = delimiter;
            session.branches.put(branch.id, branch);
            created.add(branch);
        }
        loop.countLive(session, created.size());
        PrefillTask task = new PrefillTask(null, prompt, bytes, () -> created.stream().anyMatch(Branch::isLive),
                (segment, next) -> {
                    for (Branch branch : created) {
                        if (branch.isLive()) {
                            branch.preparing = null;
                            branch.tail = segment;
                            segment.retain();
                            branch.append(prompt);
                            branch.nextLogits = next;
                            branch.text = new IncrementalDetokenizer(loop.tokenizer, prompt.length);
                            branch.state = Branch.State.IDLE;
                        }
                    }
                    segment.release();
                    session.prefillTokens += prompt.length;
                    session.emit(new Event.Started(command.commandId(), ids, prompt.length));
                    created.forEach(loop::continueWith);
                },
                failure -> {
                    if (failure == null) {
                        session.emit(new Event.Started(command.commandId(), ids, prompt.length));
                        return;
                    }
                    for (Branch branch : created) {
                        if (branch.isLive()) {
                            loop.release(branch, Branch.State.FINISHED, null);
                            loop.continueWith(branch);
                        }
                    }
                    fail(session, command.commandId(), ErrorCode.INTERNAL, failure, ids);
                });
        created.forEach(b -> b.preparing = task);
        loop.enqueuePrefill(task);
    }

    private SamplingSettings resolve(Sampling s) {
        var d = loop.defaults;
        float temperature = s.temperature() != null ? s.temperature() : d.temperature();
        float topP = s.topP() != null ? s.topP() : d.topP();
        int topK = s.topK() != null ? s.topK() : d.topK();
        String problem = SamplingSettings.problem(temperature, topP, topK, s.topLogprobs(), loop.settings.maxTopLogprobs());
        require(problem == null, ErrorCode.INVALID_ARGUMENT, problem);
        return new SamplingSettings(temperature, topP, topK, s.topLogprobs());
    }

    // ------------------------------------------------------------------ Extend

    private void extend(SessionState session, Command.Extend command, long arrivedNanos) {
        List<Long> ids = command.branchIds();
        require(!ids.isEmpty(), ErrorCode.INVALID_ARGUMENT, "extend.branch_ids is empty");
        require(new HashSet<>(ids).size() == ids.size(), ErrorCode.INVALID_ARGUMENT, "extend.branch_ids has duplicates");
        int maxStep = loop.settings.maxStepTokens();
        require(command.maxTokens() >= 1 && command.maxTokens() <= maxStep, ErrorCode.INVALID_ARGUMENT,
                "extend.max_tokens must be in [1, " + maxStep + "], got " + Integer.toUnsignedString(command.maxTokens()));
        Command.ConfidenceStop confidence = command.confidenceStop();
        if (confidence != null) {
            require(confidence.window() >= 1 && confidence.window() <= MAX_CONFIDENCE_WINDOW, ErrorCode.INVALID_ARGUMENT,
                    "extend.confidence_stop.window must be in [1, " + MAX_CONFIDENCE_WINDOW + "], got "
                            + Integer.toUnsignedString(confidence.window()));
            require(Float.isFinite(confidence.threshold()), ErrorCode.INVALID_ARGUMENT,
                    "extend.confidence_stop.threshold must be a finite number");
        }
        List<String> stops = command.stops() == null ? List.of() : command.stops();
        for (String stop : stops) {
            require(stop != null && !stop.isEmpty(), ErrorCode.INVALID_ARGUMENT, "extend stop strings must not be empty");
        }
        List<Branch> branches = session.live(ids, "extend.branch_ids");
        if (confidence != null) {
            List<Long> without = branches.stream().filter(b -> b.sampling.topLogprobs() < 1).map(b -> b.id).toList();
            if (!without.isEmpty()) {
                throw new Rejection(ErrorCode.INVALID_ARGUMENT, "extend.confidence_stop needs sampling.top_logprobs >= 1 "
                        + "(token confidence is the mean of the top alternatives); branches " + without + " have 0", without);
            }
        }
        admission.requireRoomToWait(branches);
        long perBranch = command.maxTokens() * loop.model.kvShape().bytesPerToken();
        admission.reserve(perBranch * branches.size(), "an Extend of " + branches.size() + " branches x " + command.maxTokens() + " tokens");

        ExtendCall call = new ExtendCall(command.commandId(), arrivedNanos);
        Generation.Answer answer = (generation, end) -> answerStep(session, generation, end, call);
        for (Branch branch : branches) {
            branch.whenIdle(new Branch.Deferred() {
                @Override
                public void run() {
                    if (command.reseed() != null) {
                        branch.seed = BranchRandom.derive(command.reseed(), branch.id);
                    }
                    List<String> all = new ArrayList<>(stops.size() + 1);
                    if (!command.toEnd()) {
                        all.add(branch.delimiter);
                    }
                    all.addAll(stops);
                    loop.beginGeneration(new Generation(branch, command.commandId(), answer, command.maxTokens(),
                            all.toArray(String[]::new), command.suppressEos(), confidence, command.streamTokens(),
                            command.tokenLogprobs(), perBranch, call));
                }

                @Override
                public void abandon(Branch ended) {
                    loop.ledger.unreserve(perBranch);
                    if (ended.state == Branch.State.CANCELLED) {
                        emitStep(session, command.commandId(), ended, "", new int[0], List.of(), 0f, StepEnd.CANCELLED,
                                call);
                    } else {
                        fail(session, command.commandId(), ErrorCode.FAILED_PRECONDITION, "branch " + ended.id
                                + " finished (" + ended.finishedBy + ") before this Extend reached it", List.of(ended.id));
                    }
                }
            });
        }
    }

    private void answerStep(SessionState session, Generation generation, StepEnd end, ExtendCall call) {
        emitStep(session, generation.commandId, generation.branch, generation.text.toString(),
                generation.generatedTokens(), generation.logprobs, generation.meanLogprob(), end, call);
    }

    private void emitStep(SessionState session, long commandId, Branch branch, String text, int[] tokens,
                          List<TokenLogprob> logprobs, float meanLogprob, StepEnd end, ExtendCall call) {
        session.emit(new Event.Step(commandId, branch.id, text, tokens, logprobs, meanLogprob, end, end.finishes(),
                branch.length));
        if (!call.answeredOnce) {
            call.answeredOnce = true;
            loop.observer.firstStep(System.nanoTime() - call.arrivedNanos);
        }
    }

    // ------------------------------------------------------------------ Fork

    private void fork(SessionState session, Command.Fork command) {
        Branch parent = session.live(List.of(command.branchId()), "fork.branch_id").getFirst();
        List<Long> childIds = command.childIds();
        require(!childIds.isEmpty(), ErrorCode.INVALID_ARGUMENT, "fork.child_ids is empty");
        session.requireNewIds(childIds, "fork.child_ids");
        List<Long> seeds = command.childSeeds() == null ? List.of() : command.childSeeds();
        require(seeds.isEmpty() || seeds.size() == childIds.size(), ErrorCode.INVALID_ARGUMENT,
                "fork.child_seeds must be empty or hold one seed per child (" + childIds.size() + "), got " + seeds.size());
        admission.requireCapacity(session, childIds.size());
        admission.requireRoomToWait(List.of(parent));
        List<Branch> children = new ArrayList<>(childIds.size());
        for (long id : childIds) {
            Branch child = new Branch(session, id, false);
            child.sampling = parent.sampling;
            child.delimiter = parent.delimiter;
            session.branches.put(id, child);
            children.add(child);
        }
        loop.countLive(session, children.size());
        parent.whenIdle(new Branch.Deferred() {
            @Override
            public void run() {
                for (int i = 0; i < children.size(); i++) {
                    Branch child = children.get(i);
                    if (child.isLive()) {
                        parent.copyInto(child, seeds.isEmpty() ? BranchRandom.derive(parent.seed, child.id) : seeds.get(i));
                    }
                }
                session.emit(new Event.Forked(command.commandId(), parent.id, childIds));
                children.forEach(loop::continueWith);
            }

            @Override
            public void abandon(Branch ended) {
                for (Branch child : children) {
                    if (child.isLive()) {
                        loop.release(child, Branch.State.CANCELLED, StepEnd.CANCELLED);
                        loop.continueWith(child);
                    }
                }
                fail(session, command.commandId(), ended.state == Branch.State.CANCELLED ? ErrorCode.CANCELLED
                                : ErrorCode.FAILED_PRECONDITION, "branch " + ended.id + " ended (" + ended.finishedBy
                                + ") before it could be forked; the children were not created",
                        List.of(ended.id));
            }
        });
    }

    // ------------------------------------------------------------------ Cancel

    private void cancel(SessionState session, Command.Cancel command) {
        List<Long> unknown = new ArrayList<>();
        List<Long> known = new ArrayList<>();
        for (long id : new LinkedHashSet<>(command.branchIds())) {
            Branch branch = session.branches.get(id);
            if (branch == null) {
                unknown.add(id);
            } else {
                known.add(id);
                cancelBranch(branch);
            }
        }
        if (!unknown.isEmpty()) {
            fail(session, command.commandId(), ErrorCode.NOT_FOUND,
                    "cancel.branch_ids: no branch " + unknown + " in this session", unknown);
        }
        session.emit(new Event.Cancelled(command.commandId(), known));
    }

    /** Drops a branch at once: its KV is freed and every command waiting on it is answered. */
    private void cancelBranch(Branch branch) {
        if (!branch.isLive()) {
            return;
        }
        if (branch.state == Branch.State.EXTENDING) {
            loop.finishStep(branch.generation, StepEnd.CANCELLED);
            return;
        }
        loop.release(branch, Branch.State.CANCELLED, StepEnd.CANCELLED);
        if (branch.preparing != null) {
            branch.preparing.dropIfUnwanted();
            branch.preparing = null;
        }
        loop.continueWith(branch);
    }

    // ------------------------------------------------------------------ Append

    private void append(SessionState session, Command.Append command, int[] text) {
        Branch branch = session.live(List.of(command.branchId()), "append.branch_id").getFirst();
        require(command.text() != null && !command.text().isEmpty() && text.length > 0, ErrorCode.INVALID_ARGUMENT,
                "append.text is empty");
        admission.requireFits(branch, text.length, "append.text");
        admission.requirePrefillSlot();
        admission.requireRoomToWait(List.of(branch));
        long bytes = (text.length + 1) * loop.model.kvShape().bytesPerToken();
        admission.reserve(bytes, "appending " + text.length + " tokens");
        branch.whenIdle(new Branch.Deferred() {
            @Override
            public void run() {
                if (branch.length + text.length >= loop.contextLength) {
                    loop.ledger.unreserve(bytes);
                    fail(session, command.commandId(), ErrorCode.INVALID_ARGUMENT, "append.text (" + text.length
                            + " tokens) no longer fits after branch " + branch.id + "'s " + branch.length + " tokens",
                            List.of(branch.id));
                    return;
                }
                branch.state = Branch.State.PREPARING;
                PrefillTask task = new PrefillTask(branch.tail, branch.unfedWith(text), bytes, branch::isLive,
                        (segment, next) -> {
                            branch.preparing = null;
                            branch.extendKv(segment);
                            branch.append(text);
                            branch.text.skipTo(branch.length);
                            branch.pending = false;
                            branch.nextLogits = next;
                            branch.state = Branch.State.IDLE;
                            session.prefillTokens += text.length;
                            session.emit(new Event.Appended(command.commandId(), branch.id, text.length, branch.length));
                            loop.continueWith(branch);
                        },
                        failure -> {
                            if (failure != null && branch.isLive()) {
                                loop.release(branch, Branch.State.FINISHED, null);
                                loop.continueWith(branch);
                            }
                            fail(session, command.commandId(), failure == null ? ErrorCode.CANCELLED : ErrorCode.INTERNAL,
                                    failure == null ? "branch " + branch.id + " was cancelled before its text was appended"
                                            : failure, List.of(branch.id));
                        });
                branch.preparing = task;
                loop.enqueuePrefill(task);
            }

            @Override
            public void abandon(Branch ended) {
                loop.ledger.unreserve(bytes);
                fail(session, command.commandId(), ended.state == Branch.State.CANCELLED ? ErrorCode.CANCELLED
                        : ErrorCode.FAILED_PRECONDITION, "branch " + ended.id + " ended (" + ended.finishedBy
                        + ") before the text could be appended", List.of(ended.id));
            }
        });
    }

    // ------------------------------------------------------------------ Close

    /** Frees every branch and probe of the session (answering what was in flight), then answers Closed. */
    void closeSession(SessionState session, long commandId) {
        int freed = 0;
        for (Branch branch : new ArrayList<>(session.branches.values())) {
            if (branch.isLive()) {
                freed++;
                cancelBranch(branch);
            }
        }
        for (Branch copy : new ArrayList<>(session.probes.keySet())) {
            probes.cancel(copy);
        }
        session.closed = true;
        sessions.remove(session);
        loop.sessionClosed();
        if (commandId >= 0) {
            session.emit(new Event.Closed(commandId, freed, session.generatedTokens, session.prefillTokens));
        }
    }

    /** Engine shutdown: frees every session without answering. */
    void closeAll() {
        for (SessionState session : new ArrayList<>(sessions)) {
            session.abandoned = true;
            closeSession(session, -1);
        }
    }

}
