package io.ttsmesh.search;

/** The request is wrong; {@code field} names what (e.g. "strategy.params.n", "budget.max_tokens"). */
public class InvalidSearchRequest extends RuntimeException {

    private final String field;

    public InvalidSearchRequest(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
