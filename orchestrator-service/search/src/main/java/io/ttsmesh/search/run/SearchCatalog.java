package io.ttsmesh.search.run;

import io.ttsmesh.search.catalog.MethodInfo;
import io.ttsmesh.search.scoring.Aggregation;

import java.util.Arrays;
import java.util.List;

/**
 * What a client may ask for (ListStrategies): the tasks served, strategies and policies with their
 * parameters, verifiers, aggregations. Strategies, policies and {@link #verifiers()} are the default task's
 * (the limits are the same for every task); each task lists its own verifiers.
 */
public final class SearchCatalog {

    /**
     * A task this runner serves.
     *
     * @param verifiers verifier names a request of this task may ask for (or stack as "a+b")
     */
    public record TaskInfo(String name, String description, List<String> verifiers, String defaultVerifier) {
        public TaskInfo {
            verifiers = List.copyOf(verifiers);
        }
    }

    private final List<TaskInfo> tasks;
    private final List<MethodInfo> strategies;
    private final List<MethodInfo> policies;
    private final List<String> verifiers;

    SearchCatalog(List<TaskInfo> tasks, List<MethodInfo> strategies, List<MethodInfo> policies, List<String> verifiers) {
        this.tasks = List.copyOf(tasks);
        this.strategies = List.copyOf(strategies);
        this.policies = List.copyOf(policies);
        this.verifiers = List.copyOf(verifiers);
    }

    /** The served tasks, the default one first. */
    public List<TaskInfo> tasks() {
        return tasks;
    }

    public List<MethodInfo> strategies() {
        return strategies;
    }

    public List<MethodInfo> policies() {
        return policies;
    }

    public List<String> verifiers() {
        return verifiers;
    }

    public List<String> aggregations() {
        return Arrays.stream(Aggregation.values()).map(Aggregation::wireName).toList();
    }
}
