package io.ttsmesh.orchestrator.solving;

import io.ttsmesh.proto.events.SolveResult;

import java.util.concurrent.CompletableFuture;

/** A search started for a client: its result to come, and the way to stop it. */
public final class RunningSearch {

    private final String requestId;
    private final CompletableFuture<SolveResult> result = new CompletableFuture<>();
    private volatile Thread thread;

    RunningSearch(String requestId) {
        this.requestId = requestId;
    }

    public String requestId() {
        return requestId;
    }

    /** Completes with the result, whatever the stop reason (never exceptionally). */
    public CompletableFuture<SolveResult> result() {
        return result;
    }

    /** Stops the search (the client cancelled or went away): it frees its branches and ends CANCELLED. */
    public void cancel() {
        Thread t = thread;
        if (t != null && !result.isDone()) {
            t.interrupt();
        }
    }

    void runOn(Thread t) {
        thread = t;
    }

    void complete(SolveResult r) {
        result.complete(r);
    }
}
