package io.ttsmesh.search.tree;

import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.budget.BudgetExhausted;
import io.ttsmesh.search.budget.BudgetMeter;
import io.ttsmesh.search.budget.BudgetedScorer;
import io.ttsmesh.search.budget.BudgetedSession;
import io.ttsmesh.search.budget.Resource;
import io.ttsmesh.search.budget.Spend;
import io.ttsmesh.search.events.EventLog;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.generation.PendingStart;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;
import io.ttsmesh.search.scoring.ScoringException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The branches of one search and the operations strategies perform on them. Every operation goes through the
 * budgeted session and scorer (so nothing overspends) and emits its event; generator calls are carried out by
 * the {@link ExtendLoop}, which runs the policies' hooks through their {@link PolicyChain}. A strategy stays the
 * few lines of its paper's pseudo-code:
 * <pre>
 *   beams = tree.start(n);
 *   beams = tree.step(beams);    // one generator call for all of them
 *   tree.score(beams);           // one verifier call for all of them (or two: half sent ahead, see ScoreAhead)
 *   tree.prune(losers, "beam_search", "not among the top n/width");
 * </pre>
 * Used by the search's own thread only.
 */
public final class SearchTree implements SearchView {

    private enum Phase { SEARCHING, CHOOSING, CLOSED }

    private record UnsettledStart(List<Long> ids, List<Branch> branches, PendingStart pending) {
    }

    private final SearchRequest request;
    private final SearchSettings settings;
    private final BudgetedSession session;
    private final VerifierCall verifier;
    private final BudgetMeter meter;
    private final EventLog events;
    private final RandomGenerator random;
    private final SamplingParams sampling;
    private final Aggregation aggregation;
    private final PolicyChain chain;
    private final ExtendLoop loop;

    private final Map<Long, Branch> branches = new LinkedHashMap<>();
    /** The latest start, until its answer has been read and reported. */
    private UnsettledStart unsettled;
    private long nextId = 1;
    private Phase phase = Phase.SEARCHING;
    private boolean verifierGone;
    private SearchStopped.ExitRequest exit;
    /** Scoring armed for the step under way (see {@link #expectScoring}), or null. */
    private ScoreAhead ahead;
    /** How long the latest scoring waited for the verifier. */
    private long lastScoringWaitNanos;

    public SearchTree(SearchRequest request, SearchSettings settings, BudgetedSession session, BudgetedScorer scorer,
                      BudgetMeter meter, EventLog events, List<Policy> policies, RandomGenerator random,
                      SamplingParams sampling) {
        this.request = request;
        this.settings = settings;
        this.session = session;
        this.verifier = new VerifierCall(scorer, events);
        this.meter = meter;
        this.events = events;
        this.random = random;
        this.sampling = sampling;
        this.aggregation = request.aggregation() == null ? Aggregation.LAST : request.aggregation();
        this.chain = new PolicyChain(policies, this);
        this.loop = new ExtendLoop(this, session, events, chain);
    }

    @Override
    public SearchRequest request() {
        return request;
    }

    @Override
    public SearchSettings settings() {
        return settings;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public Aggregation aggregation() {
        return aggregation;
    }

    @Override
    public Budget budget() {
        return meter.budget();
    }

    @Override
    public Spend spend() {
        return meter.spend();
    }

    @Override
    public long tokensLeft() {
        return meter.tokensLeft();
    }

    @Override
    public int verifierCallsLeft() {
        return meter.verifierCallsLeft();
    }

    public SamplingParams sampling() {
        return sampling;
    }

    @Override
    public List<Branch> branches() {
        return List.copyOf(branches.values());
    }

    @Override
    public List<Branch> live() {
        return branches.values().stream().filter(Branch::isLive).toList();
    }

    @Override
    public List<Branch> finished() {
        return branches.values().stream().filter(Branch::isFinished).toList();
    }

    @Override
    public List<Branch> voters() {
        return branches.values().stream().filter(Branch::votes).toList();
    }

    /** The policy exit that ended the search, or null. */
    public SearchStopped.ExitRequest exitRequest() {
        return exit;
    }

    /**
     * Starts {@code n} branches from the prompt (one prefill shared by all). The generator's answer is read with
     * the next command that waits (see {@link #settleStart}), so starting and the first step cost one round trip.
     */
    public List<Branch> start(int n) {
        ensureRunning();
        settleStart();
        List<Long> ids = newIds(n);
        PendingStart pending = session.startAhead(settings.prompt(request.question()), ids, sampling);
        List<Branch> started = new ArrayList<>();
        for (long id : ids) {
            Branch b = new Branch(id, -1, settings.stepDelimiter(), aggregation, 0);
            branches.put(id, b);
            started.add(b);
        }
        unsettled = new UnsettledStart(ids, started, pending);
        events.beforeNext(this::settleStart);
        return started;
    }

    /**
     * Reads the answer to the latest {@link #start} if that has not happened yet and reports it (BranchesStarted),
     * ahead of any other event: called before the next event and before any other use of the generator than an
     * Extend. A start that failed takes its branches out of the tree and throws the failure.
     */
    public void settleStart() {
        UnsettledStart u = unsettled;
        if (u == null) {
            return;
        }
        unsettled = null;
        int promptTokens;
        try {
            promptTokens = u.pending().promptTokens();
        } catch (RuntimeException e) {
            u.ids().forEach(branches::remove);
            throw e;
        }
        u.branches().forEach(b -> b.promptLength(promptTokens));
        events.emit(new SearchEvent.BranchesStarted(u.ids(), promptTokens));
    }

    /** Forks {@code children} copies of a live branch (sharing its KV); the parent stays live. */
    public List<Branch> fork(Branch parent, int children) {
        if (!parent.isLive()) {
            throw new IllegalStateException("cannot fork " + parent + ": it is not live");
        }
        if (children < 1) {
            return List.of();
        }
        ensureRunning();
        settleStart();
        List<Long> ids = newIds(children);
        session.fork(parent.id(), ids);
        List<Branch> forked = new ArrayList<>();
        for (long id : ids) {
            Branch child = parent.forkAs(id);
            branches.put(id, child);
            forked.add(child);
        }
        events.emit(new SearchEvent.BranchForked(parent.id(), ids, parent.stepCount()));
        return forked;
    }

    /**
     * Takes one step on every live branch (one generator call, unless policies split it) and returns, in
     * the same order, the branches that carry the new steps: the same ones, unless a policy's step
     * expansion replaced them. Branches that were not live come back unchanged.
     */
    public List<Branch> step(List<Branch> current) {
        return chain.expands() ? chain.expand(current) : stepOnce(current);
    }

    /** One step, one candidate per branch: what {@link #step} does without a policy's step expansion. */
    List<Branch> stepOnce(List<Branch> current) {
        loop.extend(current, Extension.nextStep(settings.stepTokens()));
        return current;
    }

    /**
     * Extends every live branch to its end (one generator call for whole samples, unless policies need
     * checkpoints) and returns, in the same order, the branches that carry the samples (see {@link #step}).
     */
    public List<Branch> sample(List<Branch> samples) {
        return sampleUntil(samples, null, null);
    }

    /**
     * Samples to the end until a finished branch satisfies {@code enough}; the branches still generating
     * are then cancelled at once (pruned by {@code by}) and the ones not yet started stay live.
     */
    public List<Branch> sampleUntil(List<Branch> samples, Predicate<Branch> enough, String by) {
        return loop.sampleUntil(samples, enough, by, this::step);
    }

    /** Cancels live branches and drops finished ones from the vote, each with a BranchPruned event. */
    public void prune(Collection<Branch> dropped, String by, String reason) {
        settleStart();
        List<Branch> todo = dropped.stream().filter(b -> b.isLive() || b.isFinished()).distinct().toList();
        if (todo.isEmpty()) {
            return;
        }
        List<Long> liveIds = todo.stream().filter(Branch::isLive).map(Branch::id).toList();
        if (!liveIds.isEmpty()) {
            loop.forget(liveIds);
            session.cancel(liveIds);
        }
        for (Branch b : todo) {
            b.prune();
            events.emit(new SearchEvent.BranchPruned(b.id(), by, reason));
        }
    }

    /**
     * Scores the newest steps of the given branches in one verifier call (only the newest step when the
     * earlier ones were scored before, so the verifier can reuse the prefix). Branches whose steps are all
     * scored already are skipped, so asking twice costs nothing. The policies' score hooks run after it.
     *
     * @throws BudgetExhausted when the verifier budget cannot cover every candidate
     * @throws ScoringException when the verifier failed, or could score none of them for another reason than
     *         refusing them (a refused candidate, INVALID_ARGUMENT, is pruned with the verifier's reason)
     */
    public void score(List<Branch> candidates) {
        List<Branch> todo = unscored(candidates);
        ScoreAhead armed = ahead;
        ahead = null;
        if (todo.isEmpty() || verifierGone) {
            return;
        }
        requireNoCallback("score");
        ensureRunning();
        long waitFrom = System.nanoTime();
        VerifierCall.Outcome outcome;
        if (armed != null && armed.sent() != null) {
            VerifierCall.Sent sent = armed.sent();
            VerifierCall.Outcome early = verifier.collect(sent, todo);
            List<Branch> rest = todo.stream().filter(b -> !sent.covers(b)).toList();
            outcome = rest.isEmpty() ? early : VerifierCall.merge(early, verifier.score(rest), todo.size());
        } else {
            outcome = verifier.score(todo);
        }
        lastScoringWaitNanos = System.nanoTime() - waitFrom;
        List<Branch> scored = outcome.scored();
        if (!outcome.refused().isEmpty()) {
            prune(outcome.refused(), "verifier", "the verifier refused it: " + outcome.refusal());
        }
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        if (!scored.isEmpty()) {
            chain.afterScores(scored);
        }
    }

    /**
     * Checks, before generating, that the verifier budget can score {@code candidates} new steps: a strategy
     * that scores every step it takes calls this first, so it does not spend tokens on steps it could not score.
     *
     * @throws BudgetExhausted when it cannot
     */
    public void expectScoring(int candidates) {
        if (verifierGone) {
            return;
        }
        meter.checkVerifierCalls(candidates);
        prepareScoring(candidates);
    }

    /**
     * Says that the next step or sample will be scored, {@code candidates} branches of it: once half of them have
     * completed, their scores are asked for while the others still generate ({@link ScoreAhead}: whole samples
     * always, steps when the latest scoring waited long enough to be worth splitting), when the settings allow it
     * ({@code scoreAhead}) and the verifier budget affords them. Checks nothing: a strategy that must not generate
     * what it cannot score calls {@link #expectScoring}.
     */
    public void prepareScoring(int candidates) {
        boolean worthIt = settings.scoreAhead() && candidates >= ScoreAhead.LEAST_EXPECTED
                && candidates <= meter.verifierCallsLeft() && !verifierGone
                // An expansion policy scores its own candidates within the step.
                && !chain.expands();
        ahead = worthIt ? new ScoreAhead(candidates, lastScoringWaitNanos >= ScoreAhead.STEP_WAIT_WORTH_SPLITTING_NANOS)
                : null;
    }

    /** From the extend loop: a branch completed its step, or (sampling to the end: {@code sample}) its solution. */
    void stepCompleted(Branch b, boolean sample) {
        ScoreAhead armed = ahead;
        if (armed == null || verifierGone || b.stepCount() == 0 || b.fullyScored()) {
            return;
        }
        List<Branch> batch = armed.completed(b, sample);
        if (batch == null) {
            return;
        }
        try {
            armed.sent(verifier.sendAhead(batch));
        } catch (BudgetExhausted e) {
            // Nothing went out; score() asks for every branch and meets the budget as it always has.
            ahead = null;
        }
    }

    /**
     * Scores like {@link #score} when the verifier budget allows and the search is still running; otherwise
     * does nothing and says so. For optional scoring (policies, final choices).
     */
    public boolean scoreIfAffordable(List<Branch> candidates) {
        if (phase == Phase.CLOSED || verifierGone || Thread.currentThread().isInterrupted()) {
            return false;
        }
        long needed = unscored(candidates).size();
        if (needed == 0) {
            return true;
        }
        if (needed > meter.verifierCallsLeft()) {
            return false;
        }
        try {
            score(candidates);
            return true;
        } catch (BudgetExhausted e) {
            if (e.resource() == Resource.DEADLINE) {
                throw e;
            }
            return false;
        }
    }

    private static List<Branch> unscored(List<Branch> candidates) {
        return candidates.stream()
                .filter(b -> (b.isLive() || b.isFinished()) && b.stepCount() > 0 && !b.fullyScored())
                .distinct().toList();
    }

    /** Reports a decision of a strategy, a selector or a policy (a PolicyDecision event). */
    public void decision(String policy, String action, String reason, Collection<Branch> concerned,
                         Map<String, Double> values) {
        events.emit(new SearchEvent.PolicyDecision(policy, action, reason,
                concerned.stream().map(Branch::id).toList(), Map.copyOf(values)));
    }

    /** A policy's exit (see {@link Decisions#exit}): the first one wins. */
    void exit(String policy, String reason, String answer, Map<String, Double> values) {
        if (exit != null || phase != Phase.SEARCHING) {
            return;
        }
        exit = new SearchStopped.ExitRequest(policy, reason, answer);
        decision(policy, "exit", reason, List.of(), values);
        loop.cancelInFlight(policy, "the search exited: " + reason);
    }

    /**
     * Degraded mode: the verifier is gone (UNAVAILABLE after the ports' retries), so from now on nothing is scored
     * ({@link #score} and {@link #scoreIfAffordable} do nothing, {@link #expectScoring} checks nothing) and the
     * live branches may still be sampled to their end to vote.
     */
    public void verifierGone() {
        verifierGone = true;
    }

    /** After the strategy: only optional scoring for the final choice may still happen. */
    public void beginChoosing(boolean portsUsable) {
        phase = portsUsable ? Phase.CHOOSING : Phase.CLOSED;
    }

    /** Ends every branch still live (one cancel call) with a BranchFinished "stopped" event. */
    public void stopLive() {
        phase = Phase.CLOSED;
        List<Branch> live = live();
        if (live.isEmpty()) {
            return;
        }
        try {
            session.cancel(live.stream().map(Branch::id).toList());
        } finally {
            for (Branch b : live) {
                b.stop(settings.answerFormat().extract(b.answerText()));
                events.emit(new SearchEvent.BranchFinished(b.id(), "stopped", b.answer(), b.score()));
            }
        }
    }

    Branch branch(long id) {
        return branches.get(id);
    }

    /** The session for a policy's own generator calls (probes, appends, cancels): the start answered first. */
    BudgetedSession session() {
        settleStart();
        return session;
    }

    ExtendLoop loop() {
        return loop;
    }

    /** Whether the strategy still searches (probes and exits are over once the choice begins). */
    boolean searching() {
        return phase == Phase.SEARCHING;
    }

    void ensureRunning() {
        if (Thread.currentThread().isInterrupted()) {
            throw new SearchStopped.Cancelled();
        }
        if (exit != null && phase == Phase.SEARCHING) {
            throw new SearchStopped.EarlyExit(exit);
        }
        meter.checkDeadline();
    }

    void requireNoCallback(String operation) {
        if (chain.inCallback()) {
            throw new IllegalStateException(operation + " is not allowed while a generator call is answering; "
                    + "do it at a checkpoint");
        }
    }

    private List<Long> newIds(int n) {
        List<Long> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(nextId++);
        }
        return ids;
    }
}
