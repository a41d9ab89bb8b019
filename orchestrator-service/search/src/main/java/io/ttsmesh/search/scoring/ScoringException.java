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

    public StatusCode status() {
        return status;
    }

    /** The code's name, as it goes on the wire. */
    public String code() {
        return status == null ? null : status.name();
    }
}
