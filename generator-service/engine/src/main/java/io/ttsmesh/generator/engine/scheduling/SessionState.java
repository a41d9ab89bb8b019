package io.ttsmesh.generator.engine.scheduling;

import io.ttsmesh.generator.engine.Event;
import io.ttsmesh.generator.engine.SessionListener;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine thread's view of one session (opaque outside this package): its branches (live ones and the records of ended ones, so
 * that ids stay unique and late commands get precise errors), its probes, and its own token account.
 */
public final class SessionState {

    private static final Logger LOG = Logger.getLogger(SessionState.class.getName());

    final String requestId;
    private final SessionListener listener;
    final Map<Long, Branch> branches = new LinkedHashMap<>();
    final Map<Branch, Long> probes = new HashMap<>();
    final Set<Long> commandIds = new HashSet<>();
    int liveBranches;
    long generatedTokens;
    long prefillTokens;
    boolean closed;
    /** The client went away: free everything, answer nothing. */
    boolean abandoned;

    SessionState(String requestId, SessionListener listener) {
        this.requestId = requestId;
        this.listener = listener;
    }

    void emit(Event event) {
        if (abandoned) {
            return;
        }
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "session " + requestId + ": listener failed on " + event.getClass().getSimpleName(), e);
        }
    }
}
