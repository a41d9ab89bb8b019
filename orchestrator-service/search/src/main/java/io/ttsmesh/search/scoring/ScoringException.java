package io.ttsmesh.search.scoring;

/** A scoring call failed as a whole; {@code code} is a gRPC status code name. */
public class ScoringException extends RuntimeException {

    private final String code;

    public ScoringException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public ScoringException(String code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
