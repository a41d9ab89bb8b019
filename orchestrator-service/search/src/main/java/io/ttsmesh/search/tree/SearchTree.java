package io.ttsmesh.search.tree;

import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchSettings;
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
import io.ttsmesh.search.generation.ProbeResult;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.generation.Step;
import io.ttsmesh.search.generation.StepEnd;
import io.ttsmesh.search.policy.Policy;
import io.ttsmesh.search.scoring.Aggregation;
import io.ttsmesh.search.scoring.Candidate;
import io.ttsmesh.search.scoring.CandidateScores;
import io.ttsmesh.search.scoring.ScoringException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The branches of one search and the operations strategies and policies perform on them. Every
 * operation goes through the budgeted session and scorer (so nothing overspends), emits its event, and
 * runs the policies' hooks, so a strategy stays the few lines of its paper's pseudo-code:
 * <pre>
 *   beams = tree.start(n);
 *   beams = tree.step(beams);    // one generator call for all of them
 *   tree.score(beams);           // one verifier call for all of them
 *   tree.prune(losers, "beam_search", "not among the top n/width");
 * </pre>
 * Used by the search's own thread only.
 */
public final class SearchTree {

    private enum Phase { SEARCHING, CHOOSING, CLOSED }

    private final SearchRequest request;
    private final SearchSettings settings;
    private final BudgetedSession session;
    private final BudgetedScorer scorer;
    private final BudgetMeter meter;
    private final EventLog events;
    private final List<Policy> policies;
    private final RandomGenerator random;
    private final SamplingParams sampling;
    private final Aggregation aggregation;
    private final StepExpansion expansion;
    private final boolean stepwiseSampling;
    private final int checkpointTokens;

    private final Map<Long, Branch> branches = new LinkedHashMap<>();
    private long nextId = 1;
    private int finished;
    private int checkpoints;
    private Phase phase = Phase.SEARCHING;
    private SearchStopped.ExitRequest exit;
    private boolean inCallback;
    private Set<Long> inFlight;
    private Round round;

    public SearchTree(SearchRequest request, SearchSettings settings, BudgetedSession session, BudgetedScorer scorer,
                      BudgetMeter meter, EventLog events, List<Policy> policies, RandomGenerator random,
                      SamplingParams sampling) {
        this.request = request;
        this.settings = settings;
        this.session = session;
        this.scorer = scorer;
        this.meter = meter;
        this.events = events;
        this.policies = List.copyOf(policies);
        this.random = random;
        this.sampling = sampling;
        this.aggregation = request.aggregation() == null ? Aggregation.LAST : request.aggregation();
        this.expansion = this.policies.stream().map(Policy::stepExpansion).filter(e -> e != null).findFirst().orElse(null);
        this.stepwiseSampling = expansion != null || this.policies.stream().anyMatch(Policy::needsStepCheckpoints);
        this.checkpointTokens = this.policies.stream().mapToInt(Policy::checkpointTokens).filter(k -> k > 0).min().orElse(0);
    }

    // ------------------------------------------------------------------ reading

    public SearchRequest request() {
        return request;
    }

    public SearchSettings settings() {
        return settings;
    }

    /** The search's random source, seeded from the request: the same seed makes the same decisions. */
    public RandomGenerator random() {
        return random;
    }

    public Aggregation aggregation() {
        return aggregation;
    }

    public Budget budget() {
        return meter.budget();
    }

    public Spend spend() {
        return meter.spend();
    }

    public long tokensLeft() {
        return meter.tokensLeft();
    }

    public int verifierCallsLeft() {
        return meter.verifierCallsLeft();
    }

    public SamplingParams sampling() {
        return sampling;
    }

    /** Every branch of the search, in order of creation. */
    public List<Branch> branches() {
        return List.copyOf(branches.values());
    }

    public List<Branch> live() {
        return branches.values().stream().filter(Branch::isLive).toList();
    }

    public List<Branch> finished() {
        return branches.values().stream().filter(Branch::isFinished).toList();
    }

    /** Finished branches that take part in answer selection (not excluded by a policy). */
    public List<Branch> voters() {
        return branches.values().stream().filter(Branch::votes).toList();
    }

    /** The policy exit that ended the search, or null. */
    public SearchStopped.ExitRequest exitRequest() {
        return exit;
    }

    // ------------------------------------------------------------------ generation

    /** Starts {@code n} branches from the prompt (one prefill shared by all). */
    public List<Branch> start(int n) {
        ensureRunning();
        List<Long> ids = newIds(n);
        int promptTokens = session.start(settings.prompt(request.question()), ids, sampling);
        List<Branch> started = new ArrayList<>();
        for (long id : ids) {
            Branch b = new Branch(id, -1, settings.stepDelimiter(), aggregation, promptTokens);
            branches.put(id, b);
            started.add(b);
        }
        events.emit(new SearchEvent.BranchesStarted(ids, promptTokens));
        return started;
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
        return expansion == null ? stepOnce(current) : expansion.expand(this, current);
    }

    /** One step, one candidate per branch: what {@link #step} does without a policy's step expansion. */
    public List<Branch> stepOnce(List<Branch> current) {
        extendRound(current, Extension.nextStep(settings.stepTokens()), round);
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
        Round r = new Round(enough, by);
        if (!stepwiseSampling) {
            withRound(r, () -> extendRound(samples, Extension.toEnd(settings.solutionTokens()), r));
            return samples;
        }
        // Policies that act at every step (pruning, probes, rollover) see whole samples taken step by step.
        List<Branch> carriers = new ArrayList<>(samples);
        long[] startTokens = samples.stream().mapToLong(Branch::generatedTokens).toArray();
        for (int i = 0; i < settings.maxIterations() && !r.stopped; i++) {
            List<Integer> going = new ArrayList<>();
            for (int j = 0; j < carriers.size(); j++) {
                Branch b = carriers.get(j);
                if (b.isLive() && b.generatedTokens() - startTokens[j] < settings.solutionTokens()) {
                    going.add(j);
                }
            }
            if (going.isEmpty()) {
                break;
            }
            List<Branch> before = going.stream().map(carriers::get).toList();
            List<Branch> after = withRound(r, () -> step(before));
            for (int k = 0; k < going.size(); k++) {
                carriers.set(going.get(k), after.get(k));
            }
        }
        return carriers;
    }

    /** Cancels live branches and drops finished ones from the vote, each with a BranchPruned event. */
    public void prune(Collection<Branch> dropped, String by, String reason) {
        List<Branch> todo = dropped.stream().filter(b -> b.isLive() || b.isFinished()).distinct().toList();
        if (todo.isEmpty()) {
            return;
        }
        List<Long> liveIds = todo.stream().filter(Branch::isLive).map(Branch::id).toList();
        if (!liveIds.isEmpty()) {
            if (inFlight != null) {
                inFlight.removeAll(liveIds);
            }
            session.cancel(liveIds);
        }
        for (Branch b : todo) {
            b.prune();
            events.emit(new SearchEvent.BranchPruned(b.id(), by, reason));
        }
    }

    // ------------------------------------------------------------------ scoring

    /**
     * Scores the newest steps of the given branches in one verifier call (only the newest step when the
     * earlier ones were scored before, so the verifier can reuse the prefix). Branches whose steps are all
     * scored already are skipped, so asking twice costs nothing.
     *
     * @throws BudgetExhausted when the verifier budget cannot cover every candidate
     * @throws ScoringException when the verifier failed, or could score none of them for another reason than
     *         refusing them (a refused candidate, INVALID_ARGUMENT, is pruned with the verifier's reason)
     */
    public void score(List<Branch> candidates) {
        List<Branch> todo = candidates.stream()
                .filter(b -> (b.isLive() || b.isFinished()) && b.stepCount() > 0 && !b.fullyScored())
                .distinct().toList();
        if (todo.isEmpty()) {
            return;
        }
        requireNoCallback("score");
        ensureRunning();
        boolean confidence = "confidence".equals(scorer.verifier());
        List<Candidate> asked = new ArrayList<>();
        for (Branch b : todo) {
            boolean newestOnly = b.scoredSteps() > 0 && b.scoredSteps() == b.stepCount() - 1;
            asked.add(new Candidate(Long.toString(b.id()), b.steps(), newestOnly,
                    confidence ? b.stepLogprobs() : List.of()));
        }
        List<CandidateScores> results = scorer.score(asked);
        List<Branch> scored = new ArrayList<>();
        List<Branch> refused = new ArrayList<>();
        String refusal = null;
        CandidateScores firstError = null;
        for (int i = 0; i < todo.size(); i++) {
            Branch b = todo.get(i);
            CandidateScores r = results.get(i);
            boolean newestOnly = asked.get(i).lastStepOnly();
            if (!r.ok() && "INVALID_ARGUMENT".equals(r.errorCode())) {
                // The verifier cannot take this candidate (longer than its context, too many steps): the
                // branch is out of this search, the search is not.
                refused.add(b);
                refusal = refusal == null ? r.error() : refusal;
                firstError = firstError == null ? r : firstError;
                continue;
            }
            if (!r.ok() || r.stepScores() == null || r.stepScores().length == 0
                    || (!newestOnly && r.stepScores().length != b.stepCount())) {
                firstError = firstError == null ? r : firstError;
                continue;
            }
            if (newestOnly) {
                b.recordNewestScore(r.last());
            } else {
                b.recordScores(r.stepScores());
            }
            scored.add(b);
            events.emit(new SearchEvent.BranchScored(b.id(), b.stepCount() - 1, b.lastScore(), b.score()));
        }
        if (!refused.isEmpty()) {
            prune(refused, "verifier", "the verifier refused it: " + refusal);
        }
        if (scored.isEmpty() && refused.size() < todo.size()) {
            String code = firstError.errorCode() == null ? "INTERNAL" : firstError.errorCode();
            throw new ScoringException(code, "the verifier scored none of " + todo.size() + " candidates: "
                    + (firstError.error() == null ? "wrong number of step scores" : firstError.error()));
        }
        if (scored.isEmpty()) {
            return;
        }
        for (Policy p : policies) {
            p.afterScores(this, scored);
        }
    }

    /**
     * Checks, before generating, that the verifier budget can score {@code candidates} new steps: a strategy
     * that scores every step it takes calls this first, so it does not spend tokens on steps it could not score.
     *
     * @throws BudgetExhausted when it cannot
     */
    public void expectScoring(int candidates) {
        meter.checkVerifierCalls(candidates);
    }

    /**
     * Scores like {@link #score} when the verifier budget allows and the search is still running; otherwise
     * does nothing and says so. For optional scoring (policies, final choices).
     */
    public boolean scoreIfAffordable(List<Branch> candidates) {
        if (phase == Phase.CLOSED || Thread.currentThread().isInterrupted()) {
            return false;
        }
        long needed = candidates.stream()
                .filter(b -> (b.isLive() || b.isFinished()) && b.stepCount() > 0 && !b.fullyScored())
                .distinct().count();
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

    // ------------------------------------------------------------------ policy operations

    /**
     * Reads a branch's intermediate answer: a greedy continuation after the answer cue, on a copy of the
     * branch. Returns the probe, or null when no token is left for it (probes are optional).
     */
    public ProbeResult probe(Branch branch, String cue, int maxTokens) {
        requireNoCallback("probe");
        if (!branch.isLive() || phase != Phase.SEARCHING) {
            return null;
        }
        ensureRunning();
        if (meter.tokensLeft() < 1) {
            return null;
        }
        try {
            return session.probe(branch.id(), cue, maxTokens, "");
        } catch (BudgetExhausted e) {
            if (e.resource() == Resource.DEADLINE) {
                throw e;
            }
            return null;
        }
    }

    /** The canonical answer a probe read, or null. */
    public String probeAnswer(Branch branch) {
        String cue = answerCueFor(branch);
        ProbeResult probe = probe(branch, cue, settings.probeTokens());
        return probe == null ? null : settings.answerFormat().probeAnswer(branch.answerText(), cue + probe.text());
    }

    /** The answer cue, preceded by the step delimiter when the branch stands mid-step. */
    public String answerCueFor(Branch branch) {
        return (branch.atStepBoundary() ? "" : settings.stepDelimiter()) + settings.answerCue();
    }

    /**
     * Forces text into a live branch (prefilled, not sampled).
     *
     * @param revokesAnswer whether an answer stated before this text no longer counts (a continuation cue)
     */
    public void append(Branch branch, String text, boolean revokesAnswer) {
        requireNoCallback("append");
        if (!branch.isLive()) {
            throw new IllegalStateException("cannot append to " + branch + ": it is not live");
        }
        ensureRunning();
        int tokens = session.append(branch.id(), text);
        branch.appendForced(text, tokens, revokesAnswer);
    }

    /**
     * Ends a live branch with an answer a policy read (e.g. agreeing probes): the branch is freed on the
     * generator, {@code answerStep} (unless empty) becomes its last step, and it votes like a finished branch.
     */
    public void finishWithAnswer(Branch branch, String answer, String answerStep) {
        requireNoCallback("finishWithAnswer");
        if (!branch.isLive()) {
            return;
        }
        session.cancel(List.of(branch.id()));
        if (!answerStep.isEmpty()) {
            branch.appendForced((branch.atStepBoundary() ? "" : settings.stepDelimiter()) + answerStep, 0, false);
        }
        finish(branch, "stopped", answer);
    }

    /**
     * Extends branches to their end with a small quota in one generator call, outside the policies' shaping
     * and checkpoints (a forced answer after the answer cue). Their steps and finishes are reported and seen
     * by the policies' step and finish hooks like any other. Returns the branches.
     */
    public List<Branch> forceToEnd(List<Branch> forced, int maxTokens) {
        requireNoCallback("forceToEnd");
        List<Branch> live = live(forced);
        if (!live.isEmpty()) {
            ensureRunning();
            generate(live, Extension.toEnd(maxTokens), null);
        }
        return forced;
    }

    /** Reports a policy's decision (a PolicyDecision event). */
    public void decision(String policy, String action, String reason, Collection<Branch> concerned,
                         Map<String, Double> values) {
        events.emit(new SearchEvent.PolicyDecision(policy, action, reason,
                concerned.stream().map(Branch::id).toList(), Map.copyOf(values)));
    }

    /**
     * Ends the search early: branches generating right now are cancelled, and the strategy is unwound at
     * the next safe point. The first exit wins.
     *
     * @param answer the answer the policy is sure of (the choice is then made among its solutions), or null
     */
    public void exit(String policy, String reason, String answer, Map<String, Double> values) {
        if (exit != null || phase != Phase.SEARCHING) {
            return;
        }
        exit = new SearchStopped.ExitRequest(policy, reason, answer);
        decision(policy, "exit", reason, List.of(), values);
        if (inFlight != null && !inFlight.isEmpty()) {
            cancelInFlight(policy, "the search exited: " + reason);
        }
    }

    // ------------------------------------------------------------------ for the runner

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

    // ------------------------------------------------------------------ the extension loop

    /**
     * Extends branches until each has taken one step (or reached its end, for a to-end extension) within
     * the extension's quota. Policies shape every generator call; a branch whose call was cut short (a
     * policy's cap, a checkpoint interval, a later wave) is extended again, and the checkpoint hooks run
     * after each call.
     */
    private void extendRound(List<Branch> requested, Extension extension, Round r) {
        Map<Branch, Long> startTokens = new IdentityHashMap<>();
        List<Branch> pending = new ArrayList<>(live(requested));
        pending.forEach(b -> startTokens.put(b, b.generatedTokens()));
        while (!pending.isEmpty()) {
            ensureRunning();
            ExtendPlan plan = new ExtendPlan(pending, extension);
            for (Policy p : policies) {
                p.beforeExtend(this, plan);
            }
            List<Branch> admitted = plan.admitted();
            for (ExtendPlan.Call call : plan.calls(admitted,
                    b -> (int) Math.max(1, extension.maxTokens() - (b.generatedTokens() - startTokens.get(b))),
                    checkpointTokens)) {
                List<Branch> stillLive = live(call.branches());
                if (!stillLive.isEmpty()) {
                    generate(stillLive, call.extension(), r);
                }
                if ((r != null && r.stopped) || exit != null) {
                    break;
                }
            }
            List<Branch> again = new ArrayList<>();
            for (Branch b : admitted) {
                if (!b.isLive()) {
                    continue;
                }
                boolean stepDone = !extension.toEnd() && b.lastEnd() == StepEnd.DELIMITER;
                long used = b.generatedTokens() - startTokens.get(b);
                if (!stepDone && used < extension.maxTokens()) {
                    again.add(b);
                }
            }
            List<Branch> advanced = live(admitted);
            checkpoint(new Checkpoint(advanced, !extension.toEnd() && again.isEmpty(), checkpoints++));
            if (exit != null) {
                throw new SearchStopped.EarlyExit(exit);
            }
            if (r != null && r.stopped) {
                return;
            }
            List<Branch> next = new ArrayList<>(live(again));
            for (Branch b : pending.subList(admitted.size(), pending.size())) {
                if (b.isLive()) {
                    next.add(b);
                }
            }
            pending = next;
        }
    }

    private void generate(List<Branch> group, Extension extension, Round r) {
        List<Long> ids = group.stream().map(Branch::id).toList();
        inFlight = new LinkedHashSet<>(ids);
        try {
            session.extend(ids, extension, step -> onStep(step, r));
        } finally {
            inFlight = null;
        }
    }

    private void onStep(Step step, Round r) {
        if (inFlight != null) {
            inFlight.remove(step.branchId());
        }
        Branch b = branches.get(step.branchId());
        if (b == null) {
            return;
        }
        int stepIndex = b.atStepBoundary() ? b.stepCount() : b.stepCount() - 1;
        b.apply(step.text(), step.tokens(), step.logprobs() == null ? List.of() : step.logprobs(), step.end(), step.length());
        events.emit(new SearchEvent.BranchStep(b.id(), stepIndex, step.text(), step.tokens(), wireName(step.end()),
                step.logprobs() == null ? 0 : step.meanLogprob()));
        if (step.end() == StepEnd.CANCELLED || !b.isLive()) {
            return;
        }
        inCallback = true;
        try {
            for (Policy p : policies) {
                p.afterStep(this, b, step);
            }
            if (step.finished() && b.isLive()) {
                finish(b, wireName(step.end()), settings.answerFormat().extract(b.answerText()));
                if (r != null && r.enough != null && b.isFinished() && r.enough.test(b)) {
                    r.stopped = true;
                }
            }
        } finally {
            inCallback = false;
        }
        if (r != null && r.stopped && inFlight != null && !inFlight.isEmpty()) {
            cancelInFlight(r.by, "another branch finished first");
        }
    }

    private void finish(Branch b, String end, String answer) {
        b.finish(end, answer, finished++);
        events.emit(new SearchEvent.BranchFinished(b.id(), end, answer, b.score()));
        boolean wasInCallback = inCallback;
        inCallback = true;
        try {
            for (Policy p : policies) {
                p.onFinish(this, b);
            }
        } finally {
            inCallback = wasInCallback;
        }
    }

    private void cancelInFlight(String by, String reason) {
        List<Branch> generating = inFlight.stream().map(branches::get).filter(b -> b != null && b.isLive()).toList();
        prune(generating, by, reason);
    }

    private void checkpoint(Checkpoint checkpoint) {
        for (Policy p : policies) {
            if (exit != null) {
                return;
            }
            p.atCheckpoint(this, checkpoint);
        }
    }

    private void ensureRunning() {
        if (Thread.currentThread().isInterrupted()) {
            throw new SearchStopped.Cancelled();
        }
        if (exit != null && phase == Phase.SEARCHING) {
            throw new SearchStopped.EarlyExit(exit);
        }
        meter.checkDeadline();
    }

    private void requireNoCallback(String operation) {
        if (inCallback) {
            throw new IllegalStateException(operation + " is not allowed while a generator call is answering; "
                    + "do it at a checkpoint");
        }
    }

    private <T> T withRound(Round r, java.util.function.Supplier<T> body) {
        Round outer = round;
        round = r;
        try {
            return body.get();
        } finally {
            round = outer;
        }
    }

    private void withRound(Round r, Runnable body) {
        withRound(r, () -> {
            body.run();
            return null;
        });
    }

    private List<Long> newIds(int n) {
        List<Long> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(nextId++);
        }
        return ids;
    }

    private static List<Branch> live(List<Branch> candidates) {
        return candidates.stream().filter(Branch::isLive).distinct().toList();
    }

    static String wireName(StepEnd end) {
        return end.name().toLowerCase(Locale.ROOT);
    }

    /** A stopping condition of one sampling call (first-finish). */
    private static final class Round {
        final Predicate<Branch> enough;
        final String by;
        boolean stopped;

        Round(Predicate<Branch> enough, String by) {
            this.enough = enough;
            this.by = by;
        }
    }
}
