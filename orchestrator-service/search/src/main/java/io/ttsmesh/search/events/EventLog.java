package io.ttsmesh.search.events;

import io.ttsmesh.search.budget.Spend;

import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Numbers the events of one search 1, 2, 3, ... without gaps, stamps each with the time and the spend
 * at that moment, and hands it to the consumer. A consumer that throws does not stop the search (the
 * search's work is not lost because a listener failed); the failure is logged once.
 */
public final class EventLog {

    private static final System.Logger LOG = System.getLogger(EventLog.class.getName());

    private final String requestId;
    private final Consumer<SearchEvent> consumer;
    private final Supplier<Spend> spend;
    private final Clock clock;
    private long sequence;
    private boolean consumerFailed;
    private Runnable beforeNext;

    public EventLog(String requestId, Consumer<SearchEvent> consumer, Supplier<Spend> spend, Clock clock) {
        this.requestId = requestId;
        this.consumer = consumer;
        this.spend = spend;
        this.clock = clock;
    }

    /**
     * Runs {@code first} before the next event is numbered (once): what it emits comes first. For an event whose
     * content is not known yet but which must precede any other (a start whose answer is still on its way).
     */
    public void beforeNext(Runnable first) {
        beforeNext = first;
    }

    public SearchEvent emit(SearchEvent.Payload payload) {
        Runnable first = beforeNext;
        if (first != null) {
            beforeNext = null;
            first.run();
        }
        SearchEvent event = new SearchEvent(requestId, ++sequence, clock.millis(), spend.get(), payload);
        try {
            consumer.accept(event);
        } catch (RuntimeException e) {
            if (!consumerFailed) {
                consumerFailed = true;
                LOG.log(System.Logger.Level.WARNING, "event consumer of search " + requestId + " failed", e);
            }
        }
        return event;
    }

    /** Events emitted so far. */
    public long count() {
        return sequence;
    }
}
