package io.ttsmesh.generator.engine;

/**
 * Receives a session's events. Called by the engine's decode thread (and, for a command refused at the
 * door because the engine's queue is full, by the submitting thread): it must be thread-safe, must not
 * block, and should hand events on (to a gRPC stream, a queue) rather than work on them.
 */
@FunctionalInterface
public interface SessionListener {

    void onEvent(Event event);
}
