package io.ttsmesh.search.tree;

import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.budget.BudgetedSession;
import io.ttsmesh.search.events.EventLog;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.generation.Step;
import io.ttsmesh.search.generation.StepEnd;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The extend-round machinery of a search tree: carries out an extension as generator calls that the policies
 * shape, applies each step as it arrives, finishes branches, cancels what is still generating when a first-finish
 * round is satisfied or a policy exits, and runs the checkpoint hooks after every call.
 */
final class ExtendLoop {

    private final SearchTree tree;
    private final SearchSettings settings;
    private final BudgetedSession session;
    private final EventLog events;
    private final PolicyChain chain;

    private Set<Long> inFlight;
    private Round round;
    private int checkpoints;
    private int finished;

    ExtendLoop(SearchTree tree, BudgetedSession session, EventLog events, PolicyChain chain) {
        this.tree = tree;
        this.settings = tree.settings();
        this.session = session;
        this.events = events;
        this.chain = chain;
    }

    /**
     * Extends branches until each has taken one step (or reached its end, for a to-end extension) within the
     * extension's quota. Policies shape every generator call; a branch whose call was cut short (a policy's cap,
     * a checkpoint interval, a later wave) is extended again, and the checkpoint hooks run after each call.
     *
     * @throws SearchStopped.EarlyExit when a policy exited
     */
    void extend(List<Branch> requested, Extension extension) {
        Round r = round;
        Map<Branch, Long> startTokens = new IdentityHashMap<>();
        List<Branch> pending = new ArrayList<>(live(requested));
        pending.forEach(b -> startTokens.put(b, b.generatedTokens()));
        while (!pending.isEmpty()) {
            tree.ensureRunning();
            ExtendPlan plan = new ExtendPlan(pending, extension);
            chain.beforeExtend(plan);
            List<Branch> admitted = plan.admitted();
            for (ExtendPlan.Call call : plan.calls(admitted,
                    b -> (int) Math.max(1, extension.maxTokens() - (b.generatedTokens() - startTokens.get(b))),
                    chain.checkpointTokens())) {
                List<Branch> stillLive = live(call.branches());
                if (!stillLive.isEmpty()) {
                    generate(stillLive, call.extension(), r);
                }
                if ((r != null && r.stopped) || tree.exitRequest() != null) {
                    break;
                }
            }
            List<Branch> again = new ArrayList<>();
            for (Branch b : admitted) {
                boolean stepDone = !extension.toEnd() && b.lastEnd() == StepEnd.DELIMITER;
                if (b.isLive() && !stepDone && b.generatedTokens() - startTokens.get(b) < extension.maxTokens()) {
                    again.add(b);
                }
            }
            Checkpoint checkpoint = new Checkpoint(live(admitted), !extension.toEnd() && again.isEmpty(), checkpoints++);
            chain.atCheckpoint(checkpoint, () -> tree.exitRequest() != null);
            if (tree.exitRequest() != null) {
                throw new SearchStopped.EarlyExit(tree.exitRequest());
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

    /**
     * Samples to the end until a finished branch satisfies {@code enough} (see {@link SearchTree#sampleUntil}):
     * in one extension, or step by step through {@code step} when policies must see every step.
     */
    List<Branch> sampleUntil(List<Branch> samples, Predicate<Branch> enough, String by,
                             java.util.function.UnaryOperator<List<Branch>> step) {
        Round r = new Round(enough, by);
        if (!chain.stepwiseSampling()) {
            within(r, () -> {
                extend(samples, Extension.toEnd(settings.solutionTokens()));
                return null;
            });
            return samples;
        }
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
            List<Branch> after = within(r, () -> step.apply(before));
            for (int k = 0; k < going.size(); k++) {
                carriers.set(going.get(k), after.get(k));
            }
        }
        return carriers;
    }

    /** One generator call for a group of branches; {@code r} is the first-finish round it belongs to, or null. */
    void generate(List<Branch> group, Extension extension, Round r) {
        List<Long> ids = group.stream().map(Branch::id).toList();
        inFlight = new LinkedHashSet<>(ids);
        try {
            session.extend(ids, extension, step -> onStep(step, extension, r));
        } finally {
            inFlight = null;
        }
    }

    /** Ends a branch with its answer (BranchFinished) and runs the finish hooks. */
    void finish(Branch b, String end, String answer) {
        b.finish(end, answer, finished++);
        events.emit(new SearchEvent.BranchFinished(b.id(), end, answer, b.score()));
        chain.onFinish(b);
    }

    /** Pruned branches are no longer waited for in the call under way. */
    void forget(Collection<Long> ids) {
        if (inFlight != null) {
            inFlight.removeAll(ids);
        }
    }

    /** Prunes the branches the call under way is still generating; nothing when no call is under way. */
    void cancelInFlight(String by, String reason) {
        if (inFlight == null || inFlight.isEmpty()) {
            return;
        }
        List<Branch> generating = inFlight.stream().map(tree::branch).filter(b -> b != null && b.isLive()).toList();
        tree.prune(generating, by, reason);
    }

    private void onStep(Step step, Extension extension, Round r) {
        if (inFlight != null) {
            inFlight.remove(step.branchId());
        }
        Branch b = tree.branch(step.branchId());
        if (b == null) {
            return;
        }
        int stepIndex = b.atStepBoundary() ? b.stepCount() : b.stepCount() - 1;
        b.apply(step.text(), step.tokens(), step.logprobs() == null ? List.of() : step.logprobs(), step.end(), step.length());
        events.emit(new SearchEvent.BranchStep(b.id(), stepIndex, step.text(), step.tokens(), wireName(step.end()),
                step.meanLogprob()));
        if (step.end() == StepEnd.CANCELLED || !b.isLive()) {
            return;
        }
        chain.duringCall(() -> {
            chain.afterStep(b, step);
            if (step.finished() && b.isLive()) {
                finish(b, wireName(step.end()), settings.answerFormat().extract(b.answerText()));
                if (r != null && r.enough != null && b.isFinished() && r.enough.test(b)) {
                    r.stopped = true;
                }
            }
        });
        // A step that ended at its delimiter, or a solution that will vote: what the strategy scores next.
        if (b.isLive() ? !extension.toEnd() && b.lastEnd() == StepEnd.DELIMITER : b.votes()) {
            tree.stepCompleted(b, extension.toEnd());
        }
        if (r != null && r.stopped) {
            cancelInFlight(r.by, "another branch finished first");
        }
    }

    private <T> T within(Round r, Supplier<T> body) {
        Round outer = round;
        round = r;
        try {
            return body.get();
        } finally {
            round = outer;
        }
    }

    static List<Branch> live(List<Branch> candidates) {
        return candidates.stream().filter(Branch::isLive).distinct().toList();
    }

    static String wireName(StepEnd end) {
        return end.name().toLowerCase(Locale.ROOT);
    }

    /** The stopping condition of one sampling call (first-finish). */
    static final class Round {
        final Predicate<Branch> enough;
        final String by;
        boolean stopped;

        Round(Predicate<Branch> enough, String by) {
            this.enough = enough;
            this.by = by;
        }
    }
}
