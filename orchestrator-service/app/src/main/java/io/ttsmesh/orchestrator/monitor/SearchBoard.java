package io.ttsmesh.orchestrator.monitor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ttsmesh.orchestrator.solving.SearchEventSink;
import io.ttsmesh.proto.events.SearchEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The searches the monitor shows and the browsers that watch them. Every search event of this orchestrator
 * comes here from SearchService (and, with Kafka, those of the other pods from {@link KafkaEventFollower}).
 *
 * <p>Bounded everywhere: at most {@code running-searches} running and {@code finished-searches} finished
 * searches are tracked (the oldest forgotten first), each keeps at most {@code events-per-search} events,
 * at most {@code max-subscribers} browsers stream at once, each with a buffer of {@code subscriber-buffer}
 * messages that drops (and counts) rather than waits. Taking an event costs a search a map lookup, a list
 * append and one non-blocking offer per browser watching that very search.
 */
@ApplicationScoped
public class SearchBoard implements SearchEventSink {

    private static final Logger LOG = Logger.getLogger(SearchBoard.class);

    private final MonitorConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, SearchRecord> running = new LinkedHashMap<>();
    private final LinkedHashMap<String, SearchRecord> finished = new LinkedHashMap<>();
    /** Local searches forgotten lately: their copies coming back from Kafka must not bring them back. */
    private final Set<String> forgotten;
    /** Browsers waiting for a search that has not started yet (a page that submitted it). */
    private final Map<String, List<Subscriber>> waiting = new HashMap<>();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final List<String> removed = new ArrayList<>();
    private final List<Subscriber> overviewWatchers = new CopyOnWriteArrayList<>();
    private final AtomicInteger subscribers = new AtomicInteger();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong finishedTotal = new AtomicLong();
    private final RateWindow finishedRate = new RateWindow();
    private final RateWindow tokenRate = new RateWindow();
    private final Counter dropped;

    SearchBoard(MonitorConfig config, MeterRegistry registry) {
        this.config = config;
        int remembered = config.finishedSearches() * 4 + 64;
        this.forgotten = Collections.newSetFromMap(new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > remembered;
            }
        });
        this.dropped = Counter.builder("tts.orchestrator.monitor.dropped")
                .description("Monitor messages dropped because a browser read too slowly")
                .register(registry);
        registry.gauge("tts.orchestrator.monitor.subscribers", subscribers);
    }

    /** An event of a search this orchestrator runs. Never blocks on a browser; never throws. */
    @Override
    public void accept(SearchEvent event) {
        try {
            accept(event, true);
        } catch (RuntimeException e) {
            // The monitor must never cost a search its other consumers (the client, Kafka).
            LOG.warnf(e, "monitor: event %d of %s not taken", event.getSequence(), event.getRequestId());
        }
    }

    /** @param local false for an event followed on Kafka (maybe another pod's, maybe our own again) */
    void accept(SearchEvent event, boolean local) {
        if (!config.enabled() || event.getRequestId().isEmpty()) {
            return;
        }
        SearchRecord record = recordFor(event, local);
        if (record == null) {
            return;
        }
        long added = record.accept(event);
        if (added < 0) {
            return;
        }
        long now = System.currentTimeMillis();
        changed.add(record.requestId());
        if (added > 0) {
            tokenRate.add(now, added);
        }
        if (event.hasStarted()) {
            started.incrementAndGet();
        }
        if (event.hasSearchFinished()) {
            finishedTotal.incrementAndGet();
            finishedRate.add(now, 1);
            retire(record);
        }
    }

    private SearchRecord recordFor(SearchEvent event, boolean local) {
        String id = event.getRequestId();
        lock.lock();
        try {
            SearchRecord record = running.get(id);
            if (record == null) {
                record = finished.get(id);
            }
            if (record != null) {
                boolean rerun = event.hasStarted() && record.finished() && (local || !record.local());
                if (!rerun) {
                    // Our own search, back from Kafka: already seen in process.
                    return !local && record.local() ? null : record;
                }
                finished.remove(id);
            } else if (!local && forgotten.contains(id)) {
                return null;
            }
            forgotten.remove(id);
            record = new SearchRecord(id, local, config.eventsPerSearch());
            for (Subscriber s : waiting.getOrDefault(id, List.of())) {
                record.watch(s);
            }
            waiting.remove(id);
            running.put(id, record);
            if (running.size() > config.runningSearches()) {
                forget(running.pollFirstEntry().getValue());
            }
            return record;
        } finally {
            lock.unlock();
        }
    }

    private void retire(SearchRecord record) {
        lock.lock();
        try {
            if (running.remove(record.requestId(), record)) {
                finished.put(record.requestId(), record);
            }
            while (finished.size() > config.finishedSearches()) {
                forget(finished.pollFirstEntry().getValue());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock. */
    private void forget(SearchRecord record) {
        if (record.local()) {
            forgotten.add(record.requestId());
        }
        removed.add(record.requestId());
        changed.remove(record.requestId());
    }

    /** Forgets running searches silent for longer than stale-after (their end was lost). */
    void forgetStale(long nowMs) {
        long limit = nowMs - config.staleAfter().toMillis();
        lock.lock();
        try {
            var it = running.values().iterator();
            while (it.hasNext()) {
                SearchRecord r = it.next();
                if (r.lastEventMs() < limit) {
                    it.remove();
                    forget(r);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ what the overview shows

    /** Every tracked search's summary: running ones first, then finished ones, newest first. */
    List<ObjectNode> summaries() {
        List<SearchRecord> all;
        lock.lock();
        try {
            all = new ArrayList<>(running.values());
            List<SearchRecord> done = new ArrayList<>(finished.values());
            Collections.reverse(done);
            all.addAll(done);
        } finally {
            lock.unlock();
        }
        return all.stream().map(SearchRecord::summary).toList();
    }

    /** The summaries of searches that changed since the last call (each at most once). */
    List<ObjectNode> drainChanged() {
        List<ObjectNode> out = new ArrayList<>();
        for (String id : List.copyOf(changed)) {
            changed.remove(id);
            SearchRecord r = find(id);
            if (r != null) {
                out.add(r.summary());
            }
        }
        return out;
    }

    /** Searches forgotten since the last call. */
    List<String> drainRemoved() {
        lock.lock();
        try {
            List<String> out = List.copyOf(removed);
            removed.clear();
            return out;
        } finally {
            lock.unlock();
        }
    }

    private SearchRecord find(String id) {
        lock.lock();
        try {
            SearchRecord r = running.get(id);
            return r != null ? r : finished.get(id);
        } finally {
            lock.unlock();
        }
    }

    int runningTracked() {
        lock.lock();
        try {
            return running.size();
        } finally {
            lock.unlock();
        }
    }

    int finishedTracked() {
        lock.lock();
        try {
            return finished.size();
        } finally {
            lock.unlock();
        }
    }

    long startedTotal() {
        return started.get();
    }

    long finishedTotal() {
        return finishedTotal.get();
    }

    /** Searches finished in the last minute. */
    long finishedLastMinute(long nowMs) {
        return finishedRate.sum(nowMs, 60);
    }

    /** Tokens generated per second over the last ten seconds, over all tracked searches. */
    double tokensPerSecond(long nowMs) {
        return tokenRate.sum(nowMs, 10) / 10.0;
    }

    long droppedTotal() {
        return (long) dropped.count();
    }

    int subscribers() {
        return subscribers.get();
    }

    // ------------------------------------------------------------------ browsers

    /** A new browser stream, or null when max-subscribers are open. */
    private Subscriber open(String name, Runnable release) {
        if (subscribers.incrementAndGet() > config.maxSubscribers()) {
            subscribers.decrementAndGet();
            return null;
        }
        Subscriber s = new Subscriber(name, config.subscriberBuffer(), dropped);
        s.onClose(() -> {
            release.run();
            subscribers.decrementAndGet();
        });
        return s;
    }

    /** A browser watching one search: the events kept so far, then live ones. Null when too many watch. */
    Watch watchSearch(String requestId) {
        Subscriber[] self = new Subscriber[1];
        Subscriber s = open("search-" + requestId, () -> unwatch(requestId, self[0]));
        if (s == null) {
            return null;
        }
        self[0] = s;
        lock.lock();
        try {
            SearchRecord r = running.get(requestId);
            if (r == null) {
                r = finished.get(requestId);
            }
            if (r == null) {
                waiting.computeIfAbsent(requestId, k -> new ArrayList<>()).add(s);
                return new Watch(s, List.of());
            }
            return new Watch(s, r.watch(s).stream().<MonitorMessage>map(MonitorMessage.Event::new).toList());
        } finally {
            lock.unlock();
        }
    }

    private void unwatch(String requestId, Subscriber s) {
        lock.lock();
        try {
            List<Subscriber> w = waiting.get(requestId);
            if (w != null) {
                w.remove(s);
                if (w.isEmpty()) {
                    waiting.remove(requestId);
                }
            }
            SearchRecord r = running.get(requestId);
            if (r == null) {
                r = finished.get(requestId);
            }
            if (r != null) {
                r.unwatch(s);
            }
        } finally {
            lock.unlock();
        }
    }

    /** A browser watching the overview (its snapshot is made by the caller after this). Null when too many. */
    Subscriber watchOverview() {
        Subscriber[] self = new Subscriber[1];
        Subscriber s = open("overview", () -> overviewWatchers.remove(self[0]));
        if (s != null) {
            self[0] = s;
            overviewWatchers.add(s);
        }
        return s;
    }

    List<Subscriber> overviewWatchers() {
        return overviewWatchers;
    }

    /** A new stream and what it gets first. */
    record Watch(Subscriber subscriber, List<MonitorMessage> snapshot) {
    }
}
