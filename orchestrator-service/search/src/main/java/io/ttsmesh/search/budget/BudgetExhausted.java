package io.ttsmesh.search.budget;

/**
 * The next operation of a search cannot be afforded. Thrown before anything is spent, so the bound
 * holds; the runner catches it and answers with the best the search has.
 */
public class BudgetExhausted extends RuntimeException {

    private final Resource resource;

    public BudgetExhausted(Resource resource, String detail) {
        super(detail, null, false, false);
        this.resource = resource;
    }

    public Resource resource() {
        return resource;
    }
}
