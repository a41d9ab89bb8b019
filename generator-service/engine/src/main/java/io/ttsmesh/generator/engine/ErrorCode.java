package io.ttsmesh.generator.engine;

/** Why a command failed, as a gRPC status code (google.rpc.Code numbering). */
public enum ErrorCode {
    CANCELLED(1),
    INVALID_ARGUMENT(3),
    NOT_FOUND(5),
    RESOURCE_EXHAUSTED(8),
    FAILED_PRECONDITION(9),
    INTERNAL(13);

    private final int grpcCode;

    ErrorCode(int grpcCode) {
        this.grpcCode = grpcCode;
    }

    public int grpcCode() {
        return grpcCode;
    }
}
