package io.ttsmesh.generator.engine.scheduling;

import io.ttsmesh.generator.engine.Command;
import io.ttsmesh.generator.engine.EngineObserver;
import io.ttsmesh.generator.engine.EngineSettings;
import io.ttsmesh.generator.engine.ErrorCode;
import io.ttsmesh.generator.engine.Event;
import io.ttsmesh.generator.engine.SessionListener;
import io.ttsmesh.generator.engine.StepEnd;
import io.ttsmesh.generator.engine.decode.DecodeBatch;
import io.ttsmesh.generator.engine.decode.DecoderModel;
import io.ttsmesh.generator.engine.decode.GenerationDefaults;
import io.ttsmesh.generator.engine.decode.KvLedger;
import io.ttsmesh.generator.engine.decode.KvSegment;
import io.ttsmesh.generator.engine.decode.PrefillRunner;
import io.ttsmesh.generator.engine.sampling.BranchRandom;
import io.ttsmesh.generator.engine.sampling.Sampler;
import io.ttsmesh.generator.engine.sampling.TokenChoice;
import io.ttsmesh.runtime.TextTokenizer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one decode loop of an engine: a single thread that owns every branch of every session. Each
 * iteration it takes the commands that arrived, prefills up to one chunk of queued prompt/append/cue
 * tokens (so a long prompt never stalls decoding for more than a chunk), lets waiting branches join the
 * batch, runs one decode step over all rows, and samples one token per row. Branches join and leave
 * between iterations; sessions never wait for each other's steps to finish.
 */
public final class EngineLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(EngineLoop.class.getName());
    private static final int[] NO_TOKENS = new int[0];
    /** Prefill buffers up to this size stay allocated between prefills (larger ones, for long prompts, are freed). */
    private static final long PREFILL_BUFFERS_KEPT = 64L << 20;

    private sealed interface Envelope {
    }

    private record Submitted(SessionState session, Command command, int[] tokens, long arrivedNanos) implements Envelope {
    }

    private record Abandon(SessionState session) implements Envelope {
    }

    private record Stop() implements Envelope {
    }

    final EngineSettings settings;
    final DecoderModel model;
    final TextTokenizer tokenizer;
    final GenerationDefaults defaults;
    final KvLedger ledger;
    final EngineObserver observer;
    final String defaultDelimiter;
    final int contextLength;
    private final Sampler sampler;
    private final DecodeBatch batch;
    private final PrefillRunner prefillRunner;
    private final CommandExecutor executor;
    private final LinkedBlockingQueue<Envelope> inbox = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedCommands = new AtomicInteger();
    private final AtomicInteger liveBranches = new AtomicInteger();
    private final AtomicInteger openSessions = new AtomicInteger();
    private final AtomicInteger queueDepth = new AtomicInteger();
    private final AtomicInteger lastBatchSize = new AtomicInteger();
    private final ArrayDeque<PrefillTask> prefills = new ArrayDeque<>();
    private final ArrayDeque<Branch> waiting = new ArrayDeque<>();
    private final float[] logits;
    private PrefillTask currentTask;
    private PrefillRunner.Prefill currentPrefill;
    private volatile boolean stopped;

    public EngineLoop(EngineSettings settings, DecoderModel model, TextTokenizer tokenizer, GenerationDefaults defaults,
                      String defaultDelimiter, EngineObserver observer) {
        this.settings = settings;
        this.model = model;
        this.tokenizer = tokenizer;
        this.defaults = defaults;
        this.defaultDelimiter = defaultDelimiter;
        this.observer = observer;
        this.contextLength = model.config().contextLength();
        this.ledger = new KvLedger(settings.maxKvBytes());
        this.sampler = new Sampler(model.vocabSize(), defaults.eosTokenIds());
        this.batch = new DecodeBatch(model, ledger);
        this.prefillRunner = new PrefillRunner(model, ledger, settings.prefillChunkTokens());
        this.executor = new CommandExecutor(this);
        this.logits = new float[model.vocabSize()];
    }

    // ------------------------------------------------------------------ called from any thread

    /** A new session's engine-side state; its events go to {@code listener}. */
    public SessionState open(String requestId, SessionListener listener) {
        openSessions.incrementAndGet();
        return new SessionState(requestId, listener);
    }

    /**
     * Queues a command ({@code tokens}: its text already tokenized by the caller, or null). When the
     * queue is full the command is refused at once with RESOURCE_EXHAUSTED, on the caller's thread.
     */
    public void submit(SessionState session, Command command, int[] tokens) {
        if (stopped) {
            session.emit(new Event.Failed(command.commandId(), ErrorCode.FAILED_PRECONDITION, "the engine is shut down",
                    List.of()));
            return;
        }
        if (queuedCommands.incrementAndGet() > settings.maxQueuedCommands()) {
            queuedCommands.decrementAndGet();
            observer.commandFailed(ErrorCode.RESOURCE_EXHAUSTED);
            session.emit(new Event.Failed(command.commandId(), ErrorCode.RESOURCE_EXHAUSTED, "the generator's command queue is "
                    + "full (" + settings.maxQueuedCommands() + " commands waiting); retry later", List.of()));
            return;
        }
        inbox.add(new Submitted(session, command, tokens, System.nanoTime()));
    }

    /** The client went away: frees the session's branches without answering anything. */
    public void abandon(SessionState session) {
        inbox.add(new Abandon(session));
    }

    public void stop() {
        stopped = true;
        inbox.add(new Stop());
    }

    public int liveBranches() {
        return liveBranches.get();
    }

    public int openSessions() {
        return openSessions.get();
    }

    /** Commands, prefills and branches waiting for the engine (as of the last iteration). */
    public int queueDepth() {
        return queueDepth.get() + queuedCommands.get();
    }

    public int lastBatchSize() {
        return lastBatchSize.get();
    }

    public KvLedger ledger() {
        return ledger;
    }

    // ------------------------------------------------------------------ the engine thread

    @Override
    public void run() {
        try {
            while (true) {
                boolean idle = batch.isEmpty() && waiting.isEmpty() && prefills.isEmpty() && currentTask == null;
                Envelope envelope = idle ? inbox.take() : inbox.poll();
                while (envelope != null) {
                    if (envelope instanceof Stop) {
                        shutdown();
                        return;
                    }
                    dispatch(envelope);
                    envelope = inbox.poll();
                }
                try {
                    prefillPhase();
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "prefill failed; failing its command", e);
                    if (currentTask != null) {
                        if (currentPrefill != null) {
                            currentPrefill.abandon();
                        }
                        dropCurrentTask("the decoder failed: " + e.getMessage());
                    }
                }
                try {
                    admitPhase();
                    decodePhase();
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "decode step failed; failing the steps in flight", e);
                    failBatch(e);
                }
                queueDepth.set(prefills.size() + waiting.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown();
        }
    }

    private void dispatch(Envelope envelope) {
        try {
            switch (envelope) {
                case Submitted s -> {
                    queuedCommands.decrementAndGet();
                    if (!s.session().abandoned) {
                        executor.execute(s.session(), s.command(), s.tokens(), s.arrivedNanos());
                    }
                }
                case Abandon a -> {
                    if (!a.session().abandoned) {
                        a.session().abandoned = true;
                        if (!a.session().closed) {
                            executor.closeSession(a.session(), -1);
                        }
                    }
                }
                case Stop stop -> throw new IllegalStateException("handled by the loop");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "command failed unexpectedly", e);
            if (envelope instanceof Submitted s) {
                s.session().emit(new Event.Failed(s.command().commandId(), ErrorCode.INTERNAL,
                        "internal error: " + e, List.of()));
            }
        }
    }

    private void prefillPhase() {
        int budget = settings.prefillChunkTokens();
        while (budget > 0) {
            if (currentTask == null) {
                currentTask = prefills.poll();
                if (currentTask == null) {
                    break;
                }
                if (!currentTask.wanted.getAsBoolean()) {
                    dropCurrentTask(null);
                    continue;
                }
                currentPrefill = prefillRunner.begin(currentTask.history, currentTask.tokens);
            } else if (!currentTask.wanted.getAsBoolean()) {
                currentPrefill.abandon();
                dropCurrentTask(null);
                continue;
            }
            budget -= currentPrefill.advance(budget);
            if (currentPrefill.isDone()) {
                PrefillTask task = currentTask;
                KvSegment segment = currentPrefill.segment();
                float[] next = currentPrefill.lastLogits();
                currentTask = null;
                currentPrefill = null;
                task.releaseHistory();
                ledger.unreserve(task.reservedBytes);
                observer.prefilled(task.tokens.length);
                task.complete(segment, next);
            }
        }
        if (currentTask == null && prefills.isEmpty()) {
            prefillRunner.trim(PREFILL_BUFFERS_KEPT);
        }
    }

    private void dropCurrentTask(String failure) {
        PrefillTask task = currentTask;
        currentTask = null;
        currentPrefill = null;
        task.releaseHistory();
        ledger.unreserve(task.reservedBytes);
        task.drop(failure);
    }

    private void admitPhase() {
        while (!waiting.isEmpty() && batch.size() < settings.maxBatchSize()) {
            Branch branch = waiting.poll();
            if (!branch.pending) {
                StepEnd end = sample(branch, branch.nextLogits);
                observer.generated(1);
                if (end != null) {
                    finishStep(branch.generation, end);
                    continue;
                }
            }
            branch.row = batch.join(branch, branch.tail, branch.tokens[branch.length - 1]);
        }
    }

    private void decodePhase() {
        if (batch.isEmpty()) {
            lastBatchSize.set(0);
            return;
        }
        long started = System.nanoTime();
        batch.step();
        List<DecodeBatch.Row> rows = new ArrayList<>(batch.rows());
        observer.decodeStep(rows.size(), System.nanoTime() - started);
        lastBatchSize.set(rows.size());
        List<Branch> ended = new ArrayList<>();
        List<StepEnd> ends = new ArrayList<>();
        for (DecodeBatch.Row row : rows) {
            Branch branch = (Branch) row.owner();
            batch.logits(row, logits);
            StepEnd end = sample(branch, logits);
            if (end == null) {
                row.feed(branch.tokens[branch.length - 1]);
            } else {
                ended.add(branch);
                ends.add(end);
            }
        }
        observer.generated(rows.size());
        for (int i = 0; i < ended.size(); i++) {
            finishStep(ended.get(i).generation, ends.get(i));
        }
    }

    /** Draws the branch's next token from {@code next}; returns how the step ends, or null to go on. */
    private StepEnd sample(Branch branch, float[] next) {
        Generation generation = branch.generation;
        int position = branch.length;
        TokenChoice choice = sampler.choose(next, branch.sampling, BranchRandom.uniform(branch.seed, position),
                generation.suppressEos, branch.sampling.topLogprobs());
        branch.session.generatedTokens++;
        StepEnd end = generation.accept(choice, defaults.isEos(choice.token()), contextLength, tokenizer);
        if (end == null && generation.streamTokens) {
            streamProgress(generation);
        }
        return end;
    }

    private void streamProgress(Generation generation) {
        Generation.StreamedPart part = generation.unstreamed();
        if (part != null) {
            generation.branch.session.emit(new Event.Progress(generation.commandId, generation.branch.id, part.text(),
                    part.tokens()));
        }
    }

    // ------------------------------------------------------------------ branch lifecycle (engine thread)

    void enqueuePrefill(PrefillTask task) {
        prefills.add(task);
    }

    int pendingPrefills() {
        return prefills.size() + (currentTask == null ? 0 : 1);
    }

    void beginGeneration(Generation generation) {
        Branch branch = generation.branch;
        branch.generation = generation;
        branch.state = Branch.State.EXTENDING;
        waiting.add(branch);
    }

    /**
     * Ends the branch's current generation: takes it out of the batch (keeping the new KV if the branch
     * lives on), answers, and lets the commands waiting for the branch run.
     */
    void finishStep(Generation generation, StepEnd end) {
        Branch branch = generation.branch;
        if (branch.row != null) {
            KvSegment added = batch.leave(branch.row, !end.finishes(), ledger);
            branch.extendKv(added);
            branch.row = null;
        } else {
            waiting.remove(branch);
        }
        if (end == StepEnd.CANCELLED) {
            generation.readText(true);
        }
        if (generation.streamTokens) {
            streamProgress(generation);
        }
        ledger.unreserve(generation.reservedBytes);
        branch.generation = null;
        if (end.finishes()) {
            release(branch, end == StepEnd.CANCELLED ? Branch.State.CANCELLED : Branch.State.FINISHED, end);
        } else {
            branch.state = Branch.State.IDLE;
        }
        generation.answer.stepEnded(generation, end);
        continueWith(branch);
    }

    /** Frees a branch's KV and marks it ended; a session branch stops counting as live. */
    void release(Branch branch, Branch.State state, StepEnd reason) {
        boolean wasLive = branch.isLive();
        branch.freeKv();
        branch.tokens = NO_TOKENS;
        branch.state = state;
        branch.finishedBy = reason;
        if (wasLive && !branch.probeCopy) {
            branch.session.liveBranches--;
            liveBranches.decrementAndGet();
        }
    }

    void countLive(SessionState session, int branches) {
        session.liveBranches += branches;
        liveBranches.addAndGet(branches);
    }

    /** Runs the commands that were waiting for the branch, in order, while it stays idle; abandons them if it ended. */
    void continueWith(Branch branch) {
        while (branch.state == Branch.State.IDLE && !branch.deferred.isEmpty()) {
            branch.deferred.poll().run();
        }
        if (!branch.isLive()) {
            while (!branch.deferred.isEmpty()) {
                branch.deferred.poll().abandon(branch);
            }
        }
    }

    /** Answers a command (or its part concerning {@code branchIds}) with an error. */
    void fail(SessionState session, long commandId, ErrorCode code, String message, List<Long> branchIds) {
        observer.commandFailed(code);
        session.emit(new Event.Failed(commandId, code, message, branchIds));
    }

    void sessionClosed() {
        openSessions.decrementAndGet();
    }

    private void failBatch(RuntimeException failure) {
        List<Branch> inFlight = new ArrayList<>();
        for (DecodeBatch.Row row : batch.members()) {
            inFlight.add((Branch) row.owner());
        }
        for (Branch branch : inFlight) {
            Generation generation = branch.generation;
            batch.leave(branch.row, false, ledger);
            branch.row = null;
            ledger.unreserve(generation.reservedBytes);
            branch.generation = null;
            release(branch, Branch.State.FINISHED, null);
            branch.session.emit(new Event.Failed(generation.commandId, ErrorCode.INTERNAL,
                    "the decoder failed: " + failure.getMessage(), List.of(branch.id)));
            continueWith(branch);
        }
    }

    private void shutdown() {
        executor.closeAll();
    }

    int contextLength() {
        return contextLength;
    }
}
