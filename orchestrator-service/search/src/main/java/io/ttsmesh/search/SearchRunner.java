package io.ttsmesh.search;

import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.generation.GenerationSessions;
import io.ttsmesh.search.policy.ComputeOptimalTable;
import io.ttsmesh.search.policy.Policies;
import io.ttsmesh.search.policy.Policy;
import io.ttsmesh.search.scoring.StepScorer;
import io.ttsmesh.search.strategy.Strategies;
import io.ttsmesh.search.strategy.Strategy;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The entry point of the search module: validates requests and runs searches over the two ports. A
 * search runs on the calling thread (meant to be a virtual thread: the ports block) and never exceeds its
 * budget; interrupting the thread cancels it. Thread-safe: one runner serves every search of a process.
 */
public final class SearchRunner {

    private final GenerationSessions generators;
    private final StepScorer scorer;
    private final SearchSettings settings;
    private final Clock clock;
    private final List<MethodDefinition<Strategy>> strategies;
    private final List<MethodDefinition<Policy>> policies;
    private final SearchCatalog catalog;
    private final RequestValidation validation;

    public SearchRunner(GenerationSessions generators, StepScorer scorer, SearchSettings settings) {
        this(generators, scorer, settings, Clock.systemUTC());
    }

    /** With a clock of one's choosing (deadline tests). */
    public SearchRunner(GenerationSessions generators, StepScorer scorer, SearchSettings settings, Clock clock) {
        this.generators = Objects.requireNonNull(generators, "generators");
        this.scorer = Objects.requireNonNull(scorer, "scorer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.strategies = Strategies.definitions(settings);
        this.policies = Policies.definitions(settings);
        this.catalog = new SearchCatalog(strategies.stream().map(MethodDefinition::info).toList(),
                policies.stream().map(MethodDefinition::info).toList(), settings.verifiers());
        this.validation = new RequestValidation(settings, strategies, policies);
        checkTable(settings.computeOptimalTable());
    }

    public SearchCatalog catalog() {
        return catalog;
    }

    public SearchSettings settings() {
        return settings;
    }

    /**
     * Checks a request without running it.
     *
     * @throws InvalidSearchRequest naming the wrong field ("strategy.params.n", "budget.max_tokens", ...)
     */
    public void validate(SearchRequest request) {
        validation.prepare(request);
    }

    /**
     * Runs one search on the calling thread, admitted now. See {@link #run(SearchRequest, Consumer, Instant)}.
     */
    public SearchResult run(SearchRequest request, Consumer<SearchEvent> events) {
        return run(request, events, clock.instant());
    }

    /**
     * Runs one search on the calling thread. Events are numbered 1, 2, 3, ... without gaps, each stamped with
     * the spend at that moment; the first is Started and the last Finished(result). Search failures do not
     * throw: the result says FAILED with an error code; interrupting the thread gives CANCELLED; when the
     * budget, the deadline or a policy stops the search, the answer is the best found so far.
     *
     * @param admitted when the search was admitted (its deadline counts from here; queued time included)
     * @throws InvalidSearchRequest when the request is invalid (before anything runs or is emitted)
     */
    public SearchResult run(SearchRequest request, Consumer<SearchEvent> events, Instant admitted) {
        PreparedSearch prepared = validation.prepare(request);
        return new SearchRun(prepared, settings, generators, scorer, clock, admitted,
                events == null ? e -> { } : events).run();
    }

    private void checkTable(ComputeOptimalTable table) {
        if (table == null) {
            return;
        }
        for (ComputeOptimalTable.StrategyEntry entry : table.strategies()) {
            try {
                validation.strategy(entry.spec());
            } catch (InvalidSearchRequest e) {
                throw new IllegalArgumentException("compute-optimal table " + table.name() + ": strategy " + entry.name()
                        + " is not valid here: " + e.getMessage(), e);
            }
        }
    }
}
