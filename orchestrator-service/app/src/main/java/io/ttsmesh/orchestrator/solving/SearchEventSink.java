package io.ttsmesh.orchestrator.solving;

import io.ttsmesh.proto.events.SearchEvent;

/**
 * Where the core hands every event of every search it runs, besides the client's own listener: the Kafka
 * event stream and the live monitor implement it. A sink never blocks a search and never throws.
 */
public interface SearchEventSink {

    void accept(SearchEvent event);
}
