package io.ttsmesh.orchestrator.pods;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Session stream per generator pod, opened ahead of the search that will take it. A new stream costs the
 * search's first command the HTTP/2 stream and the generator's handler for it: on loopback the first command on a
 * new stream took 1.1 ms where later ones took 0.4. A search takes its pod's spare if that is still open and lasts
 * long enough for it, and a new spare is opened behind it (opening writes the headers through the event loop and
 * returns; nothing is waited for).
 *
 * <p>Bounds: one spare per pod. A spare's gRPC deadline is the longest stream a search may need plus a minute, so
 * an idle one ends by itself and is replaced at the next take; one that ended otherwise (its pod restarted, a proxy
 * closed idle streams) is replaced the same way. The generator opens its session at a stream's first command, so an
 * idle spare holds no branches and counts in no session count. Spares of pods that left the group go at the next
 * refresh, all of them at shutdown.
 */
final class SpareStreams {

    private static final Duration SLACK = Duration.ofMinutes(1);

    private final Duration lifetime;
    private final ConcurrentHashMap<Endpoint, SessionStream> spares = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** @param longestStream the longest a search's stream may stay open: the longest deadline plus the close grace */
    SpareStreams(Duration longestStream) {
        this.lifetime = longestStream.plus(SLACK);
    }

    /** A stream to {@code endpoint} for the search {@code requestId}, open at least until {@code streamDeadline}. */
    SessionStream take(Endpoint endpoint, String requestId, Instant streamDeadline) {
        SessionStream spare = spares.remove(endpoint);
        SessionStream stream;
        if (spare != null && !spare.ended() && spare.lastsUntil(streamDeadline)) {
            stream = spare;
            stream.claim(requestId);
        } else {
            if (spare != null) {
                spare.cancel("spare stream ended or too short for this search");
            }
            stream = SessionStream.open(requestId, endpoint, streamDeadline);
        }
        openSpare(endpoint);
        return stream;
    }

    /** Opens spares for the pods without one and drops those of pods no longer in {@code endpoints}. */
    void refresh(Collection<Endpoint> endpoints) {
        spares.entrySet().removeIf(e -> {
            if (endpoints.contains(e.getKey())) {
                return false;
            }
            e.getValue().cancel("generator " + e.getKey().address() + " left the group");
            return true;
        });
        for (Endpoint endpoint : endpoints) {
            SessionStream spare = spares.get(endpoint);
            if (spare != null && spare.ended() && spares.remove(endpoint, spare)) {
                spare = null;
            }
            if (spare == null) {
                openSpare(endpoint);
            }
        }
    }

    void close() {
        closed = true;
        spares.values().forEach(s -> s.cancel("orchestrator shutting down"));
        spares.clear();
    }

    /** Number of spares held (for tests). */
    int size() {
        return spares.size();
    }

    /** Opens a spare for {@code endpoint} unless it has one: concurrent searches leave one spare, not one each. */
    private void openSpare(Endpoint endpoint) {
        if (closed || spares.containsKey(endpoint)) {
            return;
        }
        SessionStream fresh = new SessionStream(endpoint, Instant.now().plus(lifetime));
        if (spares.putIfAbsent(endpoint, fresh) != null) {
            fresh.cancel("another spare was opened first");
        }
    }
}
