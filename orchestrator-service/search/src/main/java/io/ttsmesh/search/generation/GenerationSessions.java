package io.ttsmesh.search.generation;

import java.time.Instant;

/** Port: opens generation sessions; the implementation picks the generator (affinity, spreading). */
public interface GenerationSessions {

    /** Opens a session for one search; every call of the session is bounded by {@code deadline}. */
    GenerationSession open(String requestId, Instant deadline);
}
