package io.ttsmesh.bench.eval.execution;

/** The backend could not run a search at all (the orchestrator unreachable, a model that will not load). */
public class BackendUnavailable extends RuntimeException {

    public BackendUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
