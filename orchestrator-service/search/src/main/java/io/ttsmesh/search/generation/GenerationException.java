package io.ttsmesh.search.generation;

import io.ttsmesh.search.status.StatusCode;

/**
 * A generation call failed, with the {@link StatusCode} that says how (INVALID_ARGUMENT, NOT_FOUND,
 * RESOURCE_EXHAUSTED, UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, ...), so callers can tell a bad request from a
 * lost generator without depending on gRPC.
 */
public class GenerationException extends RuntimeException {

    private final StatusCode status;

    public GenerationException(StatusCode status, String message) {
        super(status + ": " + message);
        this.status = status;
    }

    public GenerationException(StatusCode status, String message, Throwable cause) {
        super(status + ": " + message, cause);
        this.status = status;
    }

    public StatusCode status() {
        return status;
    }

    /** The code's name, as it goes on the wire. */
    public String code() {
        return status == null ? null : status.name();
    }
}
