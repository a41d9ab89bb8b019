package io.ttsmesh.bench.eval.execution;

import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.search.SearchRequest;

/**
 * Where the evaluated searches run: in this process over the engines (library mode) or in a running mesh
 * (gRPC to an orchestrator). Thread-safe: the harness calls it from many virtual threads at once.
 */
public interface SearchBackend extends AutoCloseable {

    /** Identifies what answers (models, or the orchestrator): part of every run's fingerprint. */
    String identity();

    /**
     * What answers the questions of one task (in-process: that task's models): part of the fingerprint of every
     * run on that task's questions. The default task's identity is {@link #identity()}, so results files written
     * before tasks existed stay valid.
     */
    default String identity(String task) {
        return identity();
    }

    /**
     * Checks a run's request before anything runs.
     *
     * @throws io.ttsmesh.bench.eval.config.InvalidConfig naming the run and the field
     */
    void validate(RunConfig run, SearchRequest request);

    /**
     * Runs one search to its end on the calling thread.
     *
     * @throws BackendUnavailable when the backend could not run it at all (not a search that failed)
     */
    SearchOutcome solve(RunConfig run, SearchRequest request) throws InterruptedException;

    @Override
    void close();
}
