package io.ttsmesh.search.scoring;

import io.ttsmesh.search.status.StatusCode;

/** A scoring call failed as a whole, with the {@link StatusCode} that says how. */
public class ScoringException extends RuntimeException {

    private final StatusCode status;

    public ScoringException(StatusCode status, String message) {
        super(status + ": " + message);
        this.status = status;
    }

    public ScoringException(StatusCode status, String message, Throwable cause) {
        super(status + ": " + message, cause);
        this.status = status;
    }

    /** With the code's name ("UNAVAILABLE"), for adapters that hold a gRPC code's name. */
    public ScoringException(String code, String message) {
        this(StatusCode.named(code), message);
    }

    /** With the code's name, for adapters that hold a gRPC code's name. */
    public ScoringException(String code, String message, Throwable cause) {
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
