package io.ttsmesh.orchestrator.events;

import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.orchestrator.Detail;

/**
 * The events one client stream carries: those its detail level asks for ({@link DetailFilter}), numbered
 * 1, 2, 3, ... in the order sent. So SearchEvent.sequence is gap-free on every stream at every detail level,
 * and a gap means a lost event. (At full detail the numbers are the search's own; Kafka carries those.)
 */
public final class DetailedStream {

    private final Detail detail;
    private long sent;

    public DetailedStream(Detail detail) {
        this.detail = detail;
    }

    /** The event as this stream sends it, or null when its detail level leaves it out. */
    public synchronized SearchEvent next(SearchEvent event) {
        if (!DetailFilter.wants(detail, event)) {
            return null;
        }
        long sequence = ++sent;
        return event.getSequence() == sequence ? event : event.toBuilder().setSequence(sequence).build();
    }
}
