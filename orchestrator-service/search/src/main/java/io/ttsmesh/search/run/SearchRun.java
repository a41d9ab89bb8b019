package io.ttsmesh.search.run;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult.AnswerTally;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.budget.BudgetExhausted;
import io.ttsmesh.search.budget.BudgetMeter;
import io.ttsmesh.search.budget.BudgetedScorer;
import io.ttsmesh.search.budget.BudgetedSession;
import io.ttsmesh.search.budget.Resource;
import io.ttsmesh.search.budget.Spend;
import io.ttsmesh.search.choice.AnswerSelection;
import io.ttsmesh.search.choice.Choice;
import io.ttsmesh.search.events.EventLog;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.generation.GenerationException;
import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.GenerationSessions;
import io.ttsmesh.search.generation.SessionTotals;
import io.ttsmesh.search.routing.RoutedSelector;
import io.ttsmesh.search.scoring.Aggregation;
import io.ttsmesh.search.scoring.ScoringException;
import io.ttsmesh.search.scoring.StepScorer;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.status.StatusCode;
import io.ttsmesh.search.strategy.Strategy;
import io.ttsmesh.search.tree.Branch;
import io.ttsmesh.search.tree.SearchStopped;
import io.ttsmesh.search.tree.SearchTree;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One search from admission to answer: opens the session, lets policies choose the strategy, runs it,
 * turns whatever stopped it into a stop reason, chooses the answer, frees every branch, emits the result and
 * then closes the session. Never throws for a search failure; the result says what happened.
 */
final class SearchRun {

    private static final System.Logger LOG = System.getLogger(SearchRun.class.getName());

    /** The name degraded mode's {@code PolicyDecision} event goes by (action {@value #DEGRADED_ACTION}). */
    static final String DEGRADED_POLICY = "degraded_mode";
    static final String DEGRADED_ACTION = "unscored_vote";

    private final PreparedSearch prepared;
    private final SearchRequest request;
    private final SearchSettings settings;
    private final GenerationSessions generators;
    private final StepScorer scorer;
    private final BudgetMeter meter;
    private final EventLog events;

    private StopReason stopReason = StopReason.COMPLETED;
    private String stopDetail = "the strategy ran to its end";
    private StatusCode errorCode;
    /** The verifier failure that put the search in degraded mode, or null. */
    private ScoringException verifierLost;
    private final Clock clock;

    SearchRun(PreparedSearch prepared, SearchSettings settings, GenerationSessions generators, StepScorer scorer,
              Clock clock, Instant admitted, Consumer<SearchEvent> consumer) {
        this.prepared = prepared;
        this.request = prepared.request();
        this.settings = settings;
        this.generators = generators;
        this.scorer = scorer;
        this.clock = clock;
        this.meter = new BudgetMeter(request.budget(), admitted, clock);
        this.events = new EventLog(request.requestId(), consumer, meter::spend, clock);
    }

    SearchResult run() {
        Strategy strategy = prepared.strategy();
        GenerationSession raw;
        try {
            raw = generators.open(request.requestId(), meter.deadline());
        } catch (RuntimeException e) {
            emitStarted(strategy, "");
            stopBy(e);
            return finish(strategy, Choice.none("no generator session"), null);
        }
        BudgetedSession session = new BudgetedSession(raw, meter);
        emitStarted(strategy, generatorName(session));
        SearchTree tree = new SearchTree(request, settings, session,
                new BudgetedScorer(scorer, meter, request.requestId(), prepared.verifier(), request.question()),
                meter, events, prepared.policies(), new Random(prepared.sampling().seed()), prepared.sampling());
        try {
            if (Thread.currentThread().isInterrupted()) {
                throw new SearchStopped.Cancelled();
            }
            RoutedSelector.Selection selection = prepared.selection();
            if (selection != null) {
                tree.decision(RoutedSelector.NAME, "route", selection.reason(), List.of(), selection.values());
            }
            strategy.search(tree);
            tree.settleStart();
        } catch (RuntimeException e) {
            settleQuietly(tree);
            stopBy(e);
        }
        Choice degraded = verifierLost != null && !Thread.currentThread().isInterrupted() ? degrade(tree) : null;
        boolean interrupted = Thread.interrupted();
        try {
            tree.beginChoosing(stopReason != StopReason.DEADLINE && stopReason != StopReason.CANCELLED
                    && stopReason != StopReason.FAILED && stopReason != StopReason.DEGRADED);
            Choice choice = degraded != null ? degraded : choose(strategy, tree);
            stopLive(tree);
            if (choice.branch() == null) {
                choice = fromUnfinished(tree, choice);
            }
            SearchResult result = finish(strategy, choice, tree);
            // After the answer is out: the generator's totals only cross-check the spend, so the client need not
            // wait for them (a round trip per search).
            close(session);
            return result;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * After the strategy failed: a start still unanswered is read now (so its BranchesStarted comes before the
     * events of the search's end); its own failure is not the search's story, the strategy's is.
     */
    private void settleQuietly(SearchTree tree) {
        try {
            tree.settleStart();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "the start of search " + request.requestId() + " failed too", e);
        }
    }

    private void stopBy(RuntimeException e) {
        boolean interrupted = Thread.currentThread().isInterrupted();
        switch (e) {
            case BudgetExhausted b -> {
                stopReason = StopReason.exhausted(b.resource());
                stopDetail = b.getMessage();
                events.emit(new SearchEvent.BudgetExhausted(b.resource().wireName()));
            }
            case SearchStopped.EarlyExit x -> {
                stopReason = StopReason.EARLY_EXIT;
                stopDetail = x.request().policy() + ": " + x.request().reason();
            }
            case SearchStopped.Cancelled c -> cancelled();
            case GenerationException g -> portFailure(g.status(), g.getMessage(), interrupted);
            case ScoringException s when !interrupted && degradedModeFor(s) -> verifierLost = s;
            case ScoringException s -> portFailure(s.status(), s.getMessage(), interrupted);
            default -> {
                if (interrupted) {
                    cancelled();
                } else {
                    LOG.log(System.Logger.Level.ERROR, "search " + request.requestId() + " failed", e);
                    stopReason = StopReason.FAILED;
                    errorCode = StatusCode.INTERNAL;
                    stopDetail = "internal error: " + e;
                }
            }
        }
    }

    private void portFailure(StatusCode code, String message, boolean interrupted) {
        if (code == StatusCode.DEADLINE_EXCEEDED) {
            stopReason = StopReason.DEADLINE;
            stopDetail = "deadline of " + request.budget().deadline().toMillis() + " ms passed: " + message;
            events.emit(new SearchEvent.BudgetExhausted(Resource.DEADLINE.wireName()));
        } else if (interrupted || code == StatusCode.CANCELLED) {
            cancelled();
        } else {
            stopReason = StopReason.FAILED;
            errorCode = code == null ? StatusCode.UNKNOWN : code;
            stopDetail = message;
        }
    }

    /**
     * Whether this failure of the verifier puts the search in degraded mode rather than failing it: the verifier
     * is gone (UNAVAILABLE after the ports' retries, or its own wait ran out while the search still has time) and
     * the request, else the server's default, allows it.
     */
    private boolean degradedModeFor(ScoringException s) {
        boolean allowed = request.allowDegraded() != null ? request.allowDegraded() : settings.degradedMode();
        boolean gone = s.status() == StatusCode.UNAVAILABLE
                || (s.status() == StatusCode.DEADLINE_EXCEEDED && clock.instant().isBefore(meter.deadline()));
        return allowed && gone;
    }

    /**
     * Degraded mode: scoring stops, the live branches are sampled to their end within what is left of the
     * budget (a policy exit, a budget or the deadline may stop that; their answers are then read from the text),
     * and the answer is the majority of the finished solutions, as self-consistency would choose it.
     */
    private Choice degrade(SearchTree tree) {
        tree.verifierGone();
        List<Branch> live = tree.live();
        int finished = tree.voters().size();
        tree.decision(DEGRADED_POLICY, DEGRADED_ACTION, "no verifier answered (" + verifierLost.getMessage()
                        + "); the answer is an unscored majority vote"
                        + (live.isEmpty() ? "" : " after the " + live.size() + " live branches are sampled to their end"),
                live, Map.of("finished", (double) finished, "live", (double) live.size()));
        stopReason = StopReason.DEGRADED;
        stopDetail = "degraded mode: no verifier answered (" + verifierLost.getMessage() + "); unscored majority vote";
        if (!live.isEmpty()) {
            try {
                tree.sample(live);
            } catch (BudgetExhausted b) {
                events.emit(new SearchEvent.BudgetExhausted(b.resource().wireName()));
                stopDetail += "; continuing the live branches stopped: " + b.getMessage();
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted() || e instanceof SearchStopped.Cancelled) {
                    cancelled();
                    return null;
                }
                stopDetail += "; continuing the live branches stopped: " + e.getMessage();
            }
        }
        Choice vote = AnswerSelection.majority(tree.voters());
        int voters = tree.voters().size();
        stopDetail += " over " + voters + " finished solution" + (voters == 1 ? "" : "s")
                + (live.isEmpty() ? "" : " (" + (voters - finished) + " of them continued after the verifier was lost)");
        return vote;
    }

    private void cancelled() {
        stopReason = StopReason.CANCELLED;
        stopDetail = "the client cancelled the search";
    }

    private Choice choose(Strategy strategy, SearchTree tree) {
        Choice choice;
        try {
            choice = strategy.choose(tree);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "choosing the answer of search " + request.requestId() + " failed", e);
            choice = AnswerSelection.majority(tree.voters());
        }
        SearchStopped.ExitRequest exit = tree.exitRequest();
        if (exit != null && exit.answer() != null && !exit.answer().equals(choice.answer())) {
            Branch backing = tree.voters().stream().filter(b -> exit.answer().equals(b.answer()))
                    .min(AnswerSelection.BY_SCORE_THEN_CREATION).orElse(null);
            if (backing != null) {
                choice = new Choice(backing, exit.answer(), choice.tallies(), "answer decided by " + exit.policy());
            }
        }
        return choice;
    }

    /** With no finished solution: an answer read from an unfinished one, else the best partial solution. */
    private Choice fromUnfinished(SearchTree tree, Choice none) {
        List<Branch> partial = tree.branches().stream()
                .filter(b -> b.state() == Branch.State.STOPPED && b.stepCount() > 0).toList();
        if (partial.isEmpty()) {
            return none;
        }
        Comparator<Branch> best = Comparator.comparing((Branch b) -> b.answer() != null).reversed()
                .thenComparing(AnswerSelection.BY_SCORE_THEN_CREATION.thenComparing(Comparator.comparingInt(Branch::stepCount).reversed()));
        Branch b = partial.stream().min(best).orElseThrow();
        String note = b.answer() != null ? "no solution finished; answer read from an unfinished one"
                : "no solution finished; the best partial solution, without an answer";
        return new Choice(b, b.answer(), none.tallies(), note);
    }

    private void stopLive(SearchTree tree) {
        try {
            tree.stopLive();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cancelling the live branches of search " + request.requestId() + " failed", e);
        }
    }

    private void close(BudgetedSession session) {
        try {
            SessionTotals totals = session.close();
            Spend spend = meter.spend();
            boolean clean = stopReason != StopReason.FAILED && stopReason != StopReason.DEADLINE && stopReason != StopReason.CANCELLED;
            if (clean && totals != null && (totals.generatedTokens() != spend.generatedTokens()
                    || totals.prefillTokens() != spend.prefillTokens())) {
                LOG.log(System.Logger.Level.WARNING, "search " + request.requestId() + ": the generator counted "
                        + totals.generatedTokens() + " generated / " + totals.prefillTokens() + " prefilled tokens, the search "
                        + spend.generatedTokens() + " / " + spend.prefillTokens());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the session of search " + request.requestId() + " failed", e);
        }
    }

    private SearchResult finish(Strategy strategy, Choice choice, SearchTree tree) {
        Branch chosen = choice.branch();
        String detail = choice.note() == null ? stopDetail : stopDetail + "; " + choice.note();
        List<AnswerTally> tallies = choice.tallies();
        Double score = chosen == null || Double.isNaN(chosen.score()) ? null : chosen.score();
        SearchResult result = new SearchResult(request.requestId(), choice.answer(),
                chosen == null ? List.of() : chosen.steps(), chosen == null ? -1 : chosen.id(), score,
                stopReason, detail, meter.spend(), request.budget(), strategy.spec(), prepared.policySpecs(), tallies,
                stopReason == StopReason.FAILED ? errorCode.name() : null);
        events.emit(new SearchEvent.Finished(result));
        return result;
    }

    /** Names the strategy as asked: the routed selector (its route follows as a decision), else the strategy. */
    private void emitStarted(Strategy strategy, String generator) {
        MethodSpec asked = prepared.selection() != null ? prepared.selection().selector() : strategy.spec();
        events.emit(new SearchEvent.Started(request.task(), request.question(), asked, prepared.policySpecs(), request.budget(),
                prepared.verifier(), (request.aggregation() == null ? Aggregation.LAST : request.aggregation()).wireName(),
                generator));
    }

    private static String generatorName(BudgetedSession session) {
        try {
            String g = session.generator();
            return g == null ? "" : g;
        } catch (RuntimeException e) {
            return "";
        }
    }
}
