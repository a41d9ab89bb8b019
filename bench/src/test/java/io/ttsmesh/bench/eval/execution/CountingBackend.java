package io.ttsmesh.bench.eval.execution;

import io.ttsmesh.bench.eval.config.InvalidConfig;
import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.budget.Spend;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Isolates the evaluation loop from the models: answers each question with what {@code answers} says, records
 * every request it was asked, and fails where told to.
 */
final class CountingBackend implements SearchBackend {

    final List<SearchRequest> requests = new CopyOnWriteArrayList<>();
    final Set<String> failing = ConcurrentHashMap.newKeySet();
    volatile boolean unavailable;
    private final Function<String, String> answers;
    private final String identity;

    CountingBackend(Function<String, String> answers, String identity) {
        this.answers = answers;
        this.identity = identity;
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public void validate(RunConfig run, SearchRequest request) {
        if (run.strategy().name().equals("nonsense")) {
            throw new InvalidConfig("run '" + run.name() + "': strategy: unknown strategy 'nonsense'");
        }
    }

    @Override
    public SearchOutcome solve(RunConfig run, SearchRequest request) {
        if (unavailable) {
            throw new BackendUnavailable("orchestrator gone", null);
        }
        requests.add(request);
        boolean fail = failing.contains(request.question());
        String answer = fail ? null : answers.apply(request.question());
        SearchResult r = new SearchResult(request.requestId(), answer,
                answer == null ? List.of() : List.of("A: " + answer), 0, 0.5,
                fail ? StopReason.FAILED : StopReason.COMPLETED, fail ? "generator unavailable" : "done",
                new Spend(10 * request.question().length(), 5, 3, 1, 2), request.budget(), request.strategy(),
                request.policies(), List.of(), fail ? "UNAVAILABLE" : null);
        return new SearchOutcome(r, null, null, null);
    }

    @Override
    public void close() {
    }

    static Map<String, Long> seedsByRequest(List<SearchRequest> requests) {
        Map<String, Long> m = new java.util.HashMap<>();
        requests.forEach(r -> m.put(r.requestId(), r.sampling().seed()));
        return m;
    }
}
