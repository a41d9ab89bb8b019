package io.ttsmesh.search;

import java.util.regex.Pattern;

/**
 * The one rule for request ids: 1..128 characters of [A-Za-z0-9._:-]. Every entry point (the search runner, the
 * APIs, the Kafka consumer, the job store, the monitor) checks ids with it, before anything could echo one back.
 */
public final class RequestId {

    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String RULE = "1..128 characters of [A-Za-z0-9._:-]";

    private RequestId() {
    }

    /** What is wrong with the id (never echoing it), or null when it is well formed. */
    public static String problem(String id) {
        if (id == null || id.isEmpty()) {
            return "required: " + RULE;
        }
        return FORM.matcher(id).matches() ? null : "must be " + RULE;
    }

    /** @throws InvalidSearchRequest naming "request_id" when the id is not well formed */
    public static void check(String id) {
        String problem = problem(id);
        if (problem != null) {
            throw new InvalidSearchRequest("request_id", problem);
        }
    }
}
