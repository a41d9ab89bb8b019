package io.ttsmesh.generator.engine.scheduling;

import io.ttsmesh.generator.engine.ErrorCode;

import java.util.List;

/** A command that cannot be carried out, with the answer to give: a code, a message naming the field, the branches. */
final class Rejection extends RuntimeException {

    final ErrorCode code;
    final List<Long> branchIds;

    Rejection(ErrorCode code, String message, List<Long> branchIds) {
        super(message, null, false, false);
        this.code = code;
        this.branchIds = branchIds;
    }

    static void require(boolean condition, ErrorCode code, String message) {
        if (!condition) {
            throw new Rejection(code, message, List.of());
        }
    }
}
