package io.ttsmesh.search.tree;

/** Unwinds a strategy when the search must stop before the strategy's own end. */
public abstract sealed class SearchStopped extends RuntimeException permits SearchStopped.EarlyExit, SearchStopped.Cancelled {

    SearchStopped(String message) {
        super(message, null, false, false);
    }

    /** A policy decided that the search has its answer. */
    public static final class EarlyExit extends SearchStopped {
        private final ExitRequest request;

        EarlyExit(ExitRequest request) {
            super(request.reason());
            this.request = request;
        }

        public ExitRequest request() {
            return request;
        }
    }

    /** The search's thread was interrupted: the client went away. */
    public static final class Cancelled extends SearchStopped {
        public Cancelled() {
            super("the search was cancelled");
        }
    }

    /**
     * @param answer the answer the policy is sure of, or null to let the strategy choose
     */
    public record ExitRequest(String policy, String reason, String answer) {
    }
}
