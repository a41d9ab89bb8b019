package io.ttsmesh.search.run;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.routing.RoutedSelector;
import io.ttsmesh.search.strategy.Strategy;
import io.ttsmesh.search.tree.Policy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request that passed the one validation ({@link SearchRunner#prepare}), ready to run once
 * ({@link SearchRunner#run(PreparedSearch, java.util.function.Consumer, java.time.Instant)}): the request as it
 * will run, with fresh strategy and policy instances (they keep per-search state), the policies as they run (with
 * defaults), the verifier and the sampling with the server's defaults filled in, and the task that serves it.
 */
public final class PreparedSearch {

    private final SearchRequest request;
    private final Strategy strategy;
    private final List<Policy> policies;
    private final List<MethodSpec> policySpecs;
    private final String verifier;
    private final SamplingParams sampling;
    private final RoutedSelector.Selection selection;
    private final AtomicBoolean claimed;
    private ServedTask served;

    /**
     * @param selection what the routed strategy chose (the strategy is the route's), or null when the request
     *                  named the strategy itself
     */
    PreparedSearch(SearchRequest request, Strategy strategy, List<Policy> policies, List<MethodSpec> policySpecs,
                   String verifier, SamplingParams sampling, RoutedSelector.Selection selection) {
        this(request, strategy, policies, policySpecs, verifier, sampling, selection, new AtomicBoolean());
    }

    private PreparedSearch(SearchRequest request, Strategy strategy, List<Policy> policies, List<MethodSpec> policySpecs,
                           String verifier, SamplingParams sampling, RoutedSelector.Selection selection,
                           AtomicBoolean claimed) {
        this.claimed = claimed;
        this.request = request;
        this.strategy = strategy;
        this.policies = List.copyOf(policies);
        this.policySpecs = List.copyOf(policySpecs);
        this.verifier = verifier;
        this.sampling = sampling;
        this.selection = selection;
    }

    /**
     * The request as it will run: the task named (never empty), the question in the task's canonical text, a
     * routed strategy's verifier and aggregation.
     */
    public SearchRequest request() {
        return request;
    }

    /**
     * The same search with its deadline cut to at most {@code deadline} (at least 1 ms), for a caller whose own
     * deadline is nearer than the one the request asked for (a gRPC client's). It is not validated again, and it
     * is the same search: only one of the two may run.
     */
    public PreparedSearch withDeadlineAtMost(Duration deadline) {
        Budget asked = request.budget();
        if (asked.deadline().compareTo(deadline) <= 0) {
            return this;
        }
        Duration cut = deadline.toMillis() < 1 ? Duration.ofMillis(1) : deadline;
        SearchRequest r = request;
        SearchRequest bounded = new SearchRequest(r.requestId(), r.question(), r.strategy(), r.policies(),
                new Budget(asked.maxTokens(), asked.maxVerifierCalls(), cut), r.sampling(), r.verifier(), r.aggregation(),
                r.task(), r.allowDegraded());
        return new PreparedSearch(bounded, strategy, policies, policySpecs, verifier, sampling, selection, claimed)
                .servedBy(served);
    }

    Strategy strategy() {
        return strategy;
    }

    List<Policy> policies() {
        return policies;
    }

    List<MethodSpec> policySpecs() {
        return policySpecs;
    }

    String verifier() {
        return verifier;
    }

    SamplingParams sampling() {
        return sampling;
    }

    RoutedSelector.Selection selection() {
        return selection;
    }

    ServedTask served() {
        return served;
    }

    PreparedSearch servedBy(ServedTask task) {
        this.served = task;
        return this;
    }

    /** Marks the search as run: its strategy and policies keep state, so it runs once. */
    void claim() {
        if (!claimed.compareAndSet(false, true)) {
            throw new IllegalStateException("search " + request.requestId() + " was prepared once and has run; "
                    + "prepare the request again to run it again");
        }
    }
}
