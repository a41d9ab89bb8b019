package io.ttsmesh.orchestrator.monitor;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ttsmesh.proto.events.Budget;
import io.ttsmesh.proto.events.Method;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.events.SearchStarted;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.events.Spend;
import io.ttsmesh.task.TaskRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the monitor knows of one search: its request, its latest spend, its result once finished, the first
 * {@code eventsPerSearch} of its events (for a browser that opens it later) and the browsers watching it.
 * Events are taken in sequence order; one that is not newer than the last is a duplicate (the same event seen
 * in process and again on Kafka) and is ignored; a jump in sequence is counted as missed events.
 */
final class SearchRecord {

    private final String requestId;
    private final boolean local;
    private final int maxEvents;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<SearchEvent> events = new ArrayList<>();
    private final List<Subscriber> watchers = new CopyOnWriteArrayList<>();
    private SearchStarted started;
    private Spend spend = Spend.getDefaultInstance();
    private SolveResult result;
    private long lastSequence;
    private long firstEventMs;
    private long lastEventMs;
    private long missed;
    private long notRetained;

    /** @param local seen in process (this orchestrator runs it), as opposed to followed on Kafka */
    SearchRecord(String requestId, boolean local, int maxEvents) {
        this.requestId = requestId;
        this.local = local;
        this.maxEvents = maxEvents;
    }

    String requestId() {
        return requestId;
    }

    boolean local() {
        return local;
    }

    /**
     * Takes an event and offers it to the watchers' buffers (never waiting for them).
     *
     * @return the generated tokens it added to the search's spend, or -1 when it was a duplicate
     */
    long accept(SearchEvent event) {
        lock.lock();
        try {
            if (event.getSequence() <= lastSequence) {
                return -1;
            }
            if (lastSequence > 0 && event.getSequence() > lastSequence + 1) {
                missed += event.getSequence() - lastSequence - 1;
            }
            lastSequence = event.getSequence();
            lastEventMs = event.getTimeUnixMs();
            if (firstEventMs == 0) {
                firstEventMs = event.getTimeUnixMs();
            }
            long added = Math.max(0, event.getSpend().getGeneratedTokens() - spend.getGeneratedTokens());
            if (event.hasSpend()) {
                spend = event.getSpend();
            }
            if (event.hasStarted()) {
                started = event.getStarted();
            }
            if (event.hasSearchFinished()) {
                result = event.getSearchFinished().getResult();
                spend = result.getSpend();
            }
            // The result is kept beyond the limit: without it a big finished search would look running forever.
            if (events.size() < maxEvents || event.hasSearchFinished()) {
                events.add(event);
            } else {
                notRetained++;
            }
            var message = new MonitorMessage.Event(event);
            for (Subscriber s : watchers) {
                s.offer(message);
            }
            return added;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a watcher and gives it the events kept so far, atomically with respect to new events: it gets
     * each event exactly once, first from the snapshot, then from its buffer.
     */
    List<SearchEvent> watch(Subscriber subscriber) {
        lock.lock();
        try {
            watchers.add(subscriber);
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    void unwatch(Subscriber subscriber) {
        watchers.remove(subscriber);
    }

    boolean finished() {
        lock.lock();
        try {
            return result != null;
        } finally {
            lock.unlock();
        }
    }

    long lastEventMs() {
        lock.lock();
        try {
            return lastEventMs;
        } finally {
            lock.unlock();
        }
    }

    /** The overview's line for this search (snake_case like the API). */
    ObjectNode summary() {
        lock.lock();
        try {
            ObjectNode s = JsonNodeFactory.instance.objectNode();
            s.put("request_id", requestId);
            s.put("local", local);
            s.put("state", result != null ? "finished" : "running");
            s.put("started_ms", firstEventMs);
            s.put("last_event_ms", lastEventMs);
            s.put("events", lastSequence);
            s.put("events_missed", missed);
            s.put("events_not_retained", notRetained);
            if (started != null) {
                // Events from older orchestrators carry no task: theirs was the default.
                s.put("task", started.getTask().isEmpty() ? TaskRegistry.DEFAULT : started.getTask());
                s.put("question", started.getQuestion());
                s.put("generator", started.getGenerator());
                s.put("verifier", started.getVerifier());
                s.set("strategy", method(started.getStrategy()));
                var policies = s.putArray("policies");
                started.getPoliciesList().forEach(p -> policies.add(method(p)));
                s.set("budget", budget(started.getBudget()));
            } else if (result != null) {
                s.set("strategy", method(result.getStrategy()));
                var policies = s.putArray("policies");
                result.getPoliciesList().forEach(p -> policies.add(method(p)));
                s.set("budget", budget(result.getBudget()));
            }
            ObjectNode sp = s.putObject("spend");
            sp.put("generated_tokens", spend.getGeneratedTokens());
            sp.put("prefill_tokens", spend.getPrefillTokens());
            sp.put("verifier_calls", spend.getVerifierCalls());
            sp.put("wall_ms", spend.getWallMs());
            sp.put("branches", spend.getBranches());
            if (result != null) {
                s.put("stop_reason", result.getStopReason().name());
                s.put("stop_detail", result.getStopDetail());
                s.put("answer", result.getAnswer());
                if (result.hasScore()) {
                    s.put("score", result.getScore());
                }
            }
            return s;
        } finally {
            lock.unlock();
        }
    }

    private static ObjectNode method(Method m) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", m.getName());
        ObjectNode params = node.putObject("params");
        m.getParamsMap().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> params.put(e.getKey(), e.getValue()));
        return node;
    }

    private static ObjectNode budget(Budget b) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("max_tokens", b.getMaxTokens());
        node.put("max_verifier_calls", b.getMaxVerifierCalls());
        node.put("deadline_ms", b.getDeadlineMs());
        return node;
    }
}
