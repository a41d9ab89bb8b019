package io.ttsmesh.verifier;

/** The gRPC status codes the verifier answers with (values as in {@code google.rpc.Code}). */
public enum StatusCode {
    OK(0),
    INVALID_ARGUMENT(3),
    DEADLINE_EXCEEDED(4),
    RESOURCE_EXHAUSTED(8),
    FAILED_PRECONDITION(9),
    INTERNAL(13),
    UNAVAILABLE(14);

    private final int value;

    StatusCode(int value) {
        this.value = value;
    }

    /** The numeric code, as carried in {@code CandidateScores.error_code}. */
    public int value() {
        return value;
    }
}
