package io.ttsmesh.bench.eval.execution;

import io.ttsmesh.bench.eval.config.InvalidConfig;
import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.search.InvalidSearchRequest;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.run.SearchRunner;
import io.ttsmesh.search.run.ServedTask;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.policy.ComputeOptimal;
import io.ttsmesh.search.settings.ComputeOptimalTable;
import io.ttsmesh.search.routing.RoutedSelector;
import io.ttsmesh.search.settings.RoutingTable;
import io.ttsmesh.task.TaskRegistry;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs searches in this process (library mode): the search module's {@link SearchRunner} over each served task's
 * two ports, here the in-process engines, so concurrent searches share the generator's decode batch and the
 * verifier's micro-batches. A run that names a compute-optimal table gets a runner with that table in the default
 * task's settings (the tables are learned on arithmetic); one that names a routing table (format
 * {@value RoutingTable#FORMAT}, for the strategy {@value RoutedSelector#NAME}) gets it in every task's settings, as
 * the orchestrator serves it.
 */
public final class InProcessBackend implements SearchBackend {

    private final TaskRegistry registry;
    private final List<ServedTask> served;
    private final Map<String, String> identities;
    private final AutoCloseable resources;
    private final Map<Path, SearchRunner> runners = new ConcurrentHashMap<>();
    private final SearchRunner plain;

    /**
     * @param served the tasks served, each over its engines and with its settings (a run's table is added to the
     *               default task's)
     * @param identities names each task's models, for the runs' fingerprints
     * @param resources closed with the backend (the engines)
     */
    public InProcessBackend(TaskRegistry registry, List<ServedTask> served, Map<String, String> identities,
                            AutoCloseable resources) {
        this.registry = registry;
        this.served = List.copyOf(served);
        this.identities = Map.copyOf(identities);
        this.resources = resources;
        this.plain = new SearchRunner(registry, this.served);
    }

    @Override
    public String identity() {
        return identity(TaskRegistry.DEFAULT);
    }

    @Override
    public String identity(String task) {
        String id = identities.get(task);
        return id != null ? id : "in-process, task " + task + " not served";
    }

    private SearchRunner runner(RunConfig run) {
        if (run.computeOptimalTable() == null) {
            return plain;
        }
        return runners.computeIfAbsent(run.computeOptimalTable(), path -> {
            if (RoutingTable.declaresFormat(path)) {
                return routingRunner(run, path);
            }
            ComputeOptimalTable table;
            try {
                table = ComputeOptimalTable.read(path);
            } catch (RuntimeException e) {
                throw new InvalidConfig("run '" + run.name() + "'.compute_optimal_table: " + e.getMessage(), e);
            }
            String tableTask = served.stream().anyMatch(s -> s.name().equals(TaskRegistry.DEFAULT))
                    ? TaskRegistry.DEFAULT : served.getFirst().name();
            List<ServedTask> withTable = served.stream().map(s -> !s.name().equals(tableTask) ? s
                    : new ServedTask(s.task(), s.generators(), s.scorer(),
                    s.settings().toBuilder().computeOptimalTable(table).build())).toList();
            try {
                return new SearchRunner(registry, withTable);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfig("run '" + run.name() + "'.compute_optimal_table: " + e.getMessage(), e);
            }
        });
    }

    private SearchRunner routingRunner(RunConfig run, Path path) {
        try {
            RoutingTable table = RoutingTable.read(path);
            return new SearchRunner(registry, served.stream().map(s -> new ServedTask(s.task(), s.generators(), s.scorer(),
                    s.settings().toBuilder().routingTable(table).build())).toList());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfig("run '" + run.name() + "'.compute_optimal_table (a routing table): " + e.getMessage(), e);
        }
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
        AtomicReference<String> verifier = new AtomicReference<>();
        boolean optimal = run.hasPolicy(ComputeOptimal.NAME);
        boolean routed = run.strategy().name().equals(RoutedSelector.NAME);
        SearchResult result = runner(run).run(request, optimal || routed ? event -> {
            if (event.payload() instanceof SearchEvent.PolicyDecision d && d.policy().equals(ComputeOptimal.NAME)
                    && d.action().equals("choose")) {
                estimate.set(d.values().get("estimate"));
                probeTokens.set(event.spend().generatedTokens());
            }
            if (event.payload() instanceof SearchEvent.Started s) {
                verifier.set(s.verifier());
            }
        } : null);
        String chosen = null;
        if (routed) {
            // the route is a strategy and its verifier: both, so a route is told from another of the same strategy
            Map<String, String> params = new LinkedHashMap<>(result.strategy().params());
            if (verifier.get() != null) {
                params.put("verifier", verifier.get());
            }
            chosen = CompoundChoice.describe(result.strategy().name(), params);
        } else if (optimal) {
            chosen = CompoundChoice.describe(result.strategy());
        }
        return new SearchOutcome(result, chosen, estimate.get(), probeTokens.get());
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
