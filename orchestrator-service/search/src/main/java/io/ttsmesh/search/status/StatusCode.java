package io.ttsmesh.search.status;

/**
 * Why a call to a port (the generator, the verifier) failed, or why a search did: the gRPC status codes by name,
 * so that the search can tell a bad request from a lost pod without depending on gRPC. Their names are what
 * results and exceptions carry on the wire.
 */
public enum StatusCode {
    OK,
    CANCELLED,
    UNKNOWN,
    INVALID_ARGUMENT,
    DEADLINE_EXCEEDED,
    NOT_FOUND,
    ALREADY_EXISTS,
    PERMISSION_DENIED,
    RESOURCE_EXHAUSTED,
    FAILED_PRECONDITION,
    ABORTED,
    OUT_OF_RANGE,
    UNIMPLEMENTED,
    INTERNAL,
    UNAVAILABLE,
    DATA_LOSS,
    UNAUTHENTICATED;

    /** The code of a name ("UNAVAILABLE"); null for null, UNKNOWN for a name that is no status code. */
    public static StatusCode named(String name) {
        if (name == null) {
            return null;
        }
        for (StatusCode code : values()) {
            if (code.name().equals(name)) {
                return code;
            }
        }
        return UNKNOWN;
    }
}
