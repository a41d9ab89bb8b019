package io.ttsmesh.bench.eval.execution;

import io.ttsmesh.bench.eval.config.InvalidConfig;
import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.search.InvalidSearchRequest;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.SearchRunner;
import io.ttsmesh.search.SearchSettings;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.generation.GenerationSessions;
import io.ttsmesh.search.policy.ComputeOptimal;
import io.ttsmesh.search.policy.ComputeOptimalTable;
import io.ttsmesh.search.scoring.StepScorer;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs searches in this process (library mode): the search module's {@link SearchRunner} over the two ports,
 * here the in-process engines, so concurrent searches share the generator's decode batch and the verifier's
 * micro-batches. A run that names a compute-optimal table gets a runner with that table in its settings.
 */
public final class InProcessBackend implements SearchBackend {

    private final GenerationSessions generators;
    private final StepScorer scorer;
    private final SearchSettings settings;
    private final String identity;
    private final AutoCloseable resources;
    private final Map<Path, SearchRunner> runners = new ConcurrentHashMap<>();
    private final SearchRunner plain;

    /**
     * @param settings the search settings of every run (a run's table is added to them)
     * @param identity names the models, for the runs' fingerprints
     * @param resources closed with the backend (the engines)
     */
    public InProcessBackend(GenerationSessions generators, StepScorer scorer, SearchSettings settings, String identity,
                            AutoCloseable resources) {
        this.generators = generators;
        this.scorer = scorer;
        this.settings = settings;
        this.identity = identity;
        this.resources = resources;
        this.plain = new SearchRunner(generators, scorer, settings);
    }

    @Override
    public String identity() {
        return identity;
    }

    private SearchRunner runner(RunConfig run) {
        if (run.computeOptimalTable() == null) {
            return plain;
        }
        return runners.computeIfAbsent(run.computeOptimalTable(), path -> {
            ComputeOptimalTable table;
            try {
                table = ComputeOptimalTable.read(path);
            } catch (RuntimeException e) {
                throw new InvalidConfig("run '" + run.name() + "'.compute_optimal_table: " + e.getMessage(), e);
            }
            try {
                return new SearchRunner(generators, scorer, settings.toBuilder().computeOptimalTable(table).build());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfig("run '" + run.name() + "'.compute_optimal_table: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void validate(RunConfig run, SearchRequest request) {
        try {
            runner(run).validate(request);
        } catch (InvalidSearchRequest e) {
            throw new InvalidConfig("run '" + run.name() + "': " + e.getMessage(), e);
        }
    }

    @Override
    public SearchOutcome solve(RunConfig run, SearchRequest request) {
        AtomicReference<Double> estimate = new AtomicReference<>();
        AtomicReference<Long> probeTokens = new AtomicReference<>();
        boolean optimal = run.hasPolicy(ComputeOptimal.NAME);
        SearchResult result = runner(run).run(request, optimal ? event -> {
            if (event.payload() instanceof SearchEvent.PolicyDecision d && d.policy().equals(ComputeOptimal.NAME)
                    && d.action().equals("choose")) {
                estimate.set(d.values().get("estimate"));
                probeTokens.set(event.spend().generatedTokens());
            }
        } : null);
        return new SearchOutcome(result, optimal ? CompoundChoice.describe(result.strategy()) : null, estimate.get(),
                probeTokens.get());
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the in-process engines failed", e);
        }
    }
}
