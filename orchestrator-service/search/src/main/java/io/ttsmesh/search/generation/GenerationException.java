package io.ttsmesh.search.generation;

/**
 * A generation call failed. {@code code} is a gRPC status code name ("INVALID_ARGUMENT", "NOT_FOUND",
 * "RESOURCE_EXHAUSTED", "UNAVAILABLE", "DEADLINE_EXCEEDED", "CANCELLED", ...), so callers can tell a
 * bad request from a lost generator without depending on gRPC.
 */
public class GenerationException extends RuntimeException {

    private final String code;

    public GenerationException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public GenerationException(String code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
