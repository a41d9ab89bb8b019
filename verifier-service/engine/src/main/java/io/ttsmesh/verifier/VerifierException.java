package io.ttsmesh.verifier;

/** A scoring call failed as a whole (bad request, full queue, deadline); the message names the cause. */
public class VerifierException extends RuntimeException {

    private final StatusCode code;

    public VerifierException(StatusCode code, String message) {
        super(message);
        this.code = code;
    }

    public VerifierException(StatusCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public StatusCode code() {
        return code;
    }
}
