package io.ttsmesh.generator.engine.scheduling;

import io.ttsmesh.generator.engine.ErrorCode;
import io.ttsmesh.generator.engine.Event;
import io.ttsmesh.generator.engine.SessionListener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** The live branches named; unknown or cancelled ids are NOT_FOUND, finished ones FAILED_PRECONDITION. */
    List<Branch> live(List<Long> ids, String field) {
        List<Long> missing = new ArrayList<>();
        List<Long> finished = new ArrayList<>();
        List<Branch> found = new ArrayList<>(ids.size());
        for (long id : ids) {
            Branch branch = branches.get(id);
            if (branch == null || branch.state == Branch.State.CANCELLED) {
                missing.add(id);
            } else if (branch.state == Branch.State.FINISHED) {
                finished.add(id);
            } else {
                found.add(branch);
            }
        }
        if (!missing.isEmpty()) {
            throw new Rejection(ErrorCode.NOT_FOUND, field + ": no live branch " + missing
                    + " in this session (never started, or cancelled)", missing);
        }
        if (!finished.isEmpty()) {
            throw new Rejection(ErrorCode.FAILED_PRECONDITION, field + ": branch " + finished
                    + " has finished (EOS, context limit or low confidence) and its KV is freed", finished);
        }
        return found;
    }

    /** Ids for new branches: not repeated, never used before in this session. */
    void requireNewIds(List<Long> ids, String field) {
        Set<Long> seen = new HashSet<>();
        for (long id : ids) {
            Rejection.require(seen.add(id), ErrorCode.INVALID_ARGUMENT, field + " names branch " + id + " twice");
            if (branches.containsKey(id)) {
                throw new Rejection(ErrorCode.INVALID_ARGUMENT, field + ": branch id " + id
                        + " is already used in this session (ids are never reused)", List.of(id));
            }
        }
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
