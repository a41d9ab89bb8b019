package io.ttsmesh.bench.mesh;

import io.ttsmesh.search.SearchRequest;

/** One way to run a search: through the mesh or in this process. */
interface SearchPath extends AutoCloseable {

    String name();

    /** Runs one search on the calling thread and waits for its result. */
    SearchOutcome solve(SearchRequest request) throws InterruptedException;
}
