package io.ttsmesh.orchestrator.events;

import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.orchestrator.Detail;

/** Which progress events a client asked to see (SolveRequest.detail); the final search_finished always passes. */
public final class DetailFilter {

    private DetailFilter() {
    }

    public static boolean wants(Detail detail, SearchEvent event) {
        return switch (event.getPayloadCase()) {
            case SEARCH_FINISHED -> true;
            case STEP, SCORED -> detail == Detail.STEPS;
            default -> detail != Detail.RESULT_ONLY;
        };
    }
}
