package io.ttsmesh.search.catalog;

/**
 * A parameter value that is fine alone but wrong with the others (a width that does not divide n), thrown
 * by a method's factory; the runner turns it into an InvalidSearchRequest naming the parameter (or the
 * method's name, when {@code param} is null: the method cannot be used at all, e.g. its table is missing).
 */
public class InvalidParam extends RuntimeException {

    private final String param;

    public InvalidParam(String param, String message) {
        super(message, null, false, false);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
