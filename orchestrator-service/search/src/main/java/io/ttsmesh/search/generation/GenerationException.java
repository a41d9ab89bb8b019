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

    /** With the code's name ("UNAVAILABLE"), for adapters that hold a gRPC code's name. */
    public GenerationException(String code, String message) {
        this(StatusCode.named(code), message);
    }

    /** With the code's name, for adapters that hold a gRPC code's name. */
    public GenerationException(String code, String message, Throwable cause) {
        this(StatusCode.named(code), message, cause);
    }

    public StatusCode status() {
        return status;
    }

    /** The code's name, as it goes on the wire. */
    public String code() {
        return status == null ? null : status.name();
    }
}
