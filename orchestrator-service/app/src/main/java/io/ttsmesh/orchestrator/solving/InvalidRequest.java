package io.ttsmesh.orchestrator.solving;

/** The request is wrong: INVALID_ARGUMENT / HTTP 400, naming the field (proto field path, e.g. "budget.max_tokens"). */
public class InvalidRequest extends RuntimeException {

    private final String field;

    public InvalidRequest(String field, String message) {
        super(field == null || field.isEmpty() ? message : field + ": " + message);
        this.field = field == null ? "" : field;
    }

    public String field() {
        return field;
    }
}
