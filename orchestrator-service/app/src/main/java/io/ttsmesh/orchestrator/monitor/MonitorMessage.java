package io.ttsmesh.orchestrator.monitor;

import io.ttsmesh.proto.events.SearchEvent;

/**
 * What waits in a browser's buffer: one search event (rendered to JSON on the browser's own thread, never on
 * the search's), or a message already rendered once for every browser (the overview).
 */
sealed interface MonitorMessage {

    record Event(SearchEvent event) implements MonitorMessage {
    }

    /** @param name the server-sent event's name; @param json its data */
    record Json(String name, String json) implements MonitorMessage {
    }
}
