package io.ttsmesh.orchestrator.solving;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.ttsmesh.orchestrator.OrchestratorConfig;
import io.ttsmesh.orchestrator.admission.SearchAdmission;
import io.ttsmesh.orchestrator.events.EventMessages;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.events.SearchFinished;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.events.StopReason;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.search.InvalidSearchRequest;
import io.ttsmesh.search.run.PreparedSearch;
import io.ttsmesh.search.run.SearchCatalog;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.run.SearchRunner;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The orchestrator's core: checks a request, admits it (or refuses it at once), runs its search on a
 * virtual thread, and hands every event to the client's listener, to the event sinks (the live monitor,
 * the Kafka event stream) and to the metrics. Every search ends with exactly one search_finished event carrying its result,
 * even when it never got to run (cancelled or timed out in the queue).
 */
@ApplicationScoped
public class SearchService {

    private static final Logger LOG = Logger.getLogger(SearchService.class);
    /** Kafka jobs are bounded by their in-flight limit; they wait for a slot as long as it takes. */
    private static final Duration JOB_PATIENCE = Duration.ofDays(1);

    private final SearchRunner runner;
    private final SolveRequestMapper mapper;
    private final SearchAdmission admission;
    /** The Kafka event stream and the live monitor, when present. */
    private final List<SearchEventSink> sinks;
    private final SearchMetrics metrics;
    private final String stepDelimiter;
    private final boolean platformThreads;

    SearchService(OrchestratorConfig config, SearchRunner runner, SearchSettingsFactory settings,
                  @All List<SearchEventSink> sinks, MeterRegistry registry) {
        this.runner = runner;
        this.stepDelimiter = settings.settings().stepDelimiter();
        this.mapper = new SolveRequestMapper();
        this.admission = new SearchAdmission(config.admission().maxConcurrent(), config.admission().maxQueued());
        this.sinks = List.copyOf(sinks);
        this.metrics = new SearchMetrics(registry, admission);
        this.platformThreads = config.search().platformThreads().orElse(false);
    }

    public SearchCatalog catalog() {
        return runner.catalog();
    }

    public SearchAdmission admission() {
        return admission;
    }

    public SearchMetrics metrics() {
        return metrics;
    }

    /**
     * The one validation of a request (the search runner's, with this pod's limits): InvalidRequest naming the
     * field, else the search ready to run once ({@link #start(PreparedSearch, TokenAccount, Consumer)}).
     */
    public PreparedSearch check(SolveRequest request) {
        SearchRequest search = mapper.map(request);
        try {
            return runner.prepare(search);
        } catch (InvalidSearchRequest e) {
            metrics.rejected("invalid");
            throw new InvalidRequest(e.field(), stripField(e));
        }
    }

    private static String stripField(InvalidSearchRequest e) {
        String prefix = e.field() + ": ";
        String message = e.getMessage();
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /**
     * Starts a search for an interactive client: InvalidRequest when the request is wrong, OverCapacity at
     * once when every slot and queue place is taken. {@code listener} sees every event on the search's thread.
     */
    public RunningSearch start(SolveRequest request, Consumer<SearchEvent> listener) {
        return start(request, TokenAccount.UNLIMITED, listener);
    }

    /**
     * As {@link #start(SolveRequest, Consumer)} spending from {@code account} (an authenticated caller): the
     * request's token budget is reserved from it before anything runs (InvalidRequest / OverCapacity
     * otherwise); what the search did not spend goes back when it ends.
     */
    public RunningSearch start(SolveRequest request, TokenAccount account, Consumer<SearchEvent> listener) {
        return start(check(request), account, listener);
    }

    /** As {@link #start(SolveRequest, TokenAccount, Consumer)} for a request checked already: it is not checked again. */
    public RunningSearch start(PreparedSearch prepared, TokenAccount account, Consumer<SearchEvent> listener) {
        SearchRequest search = prepared.request();
        TokenAccount.Reservation reservation;
        try {
            reservation = account.reserve(search.budget().maxTokens());
        } catch (RuntimeException e) {
            metrics.rejected("key_budget");
            throw e;
        }
        SearchAdmission.Ticket ticket = admission.tryAdmit();
        if (ticket == null) {
            reservation.settle(0);
            metrics.rejected("over_capacity");
            throw new OverCapacity("this orchestrator runs " + admission.maxConcurrent()
                    + " searches and its queue is full; retry later or on another replica");
        }
        RunningSearch running = new RunningSearch(search.requestId());
        AtomicBoolean settled = new AtomicBoolean();
        Consumer<SolveResult> answered = result -> {
            // Settled before the caller hears the answer: its next request may spend what this one left.
            if (settled.compareAndSet(false, true)) {
                reservation.settle(result == null ? 0 : result.getSpend().getGeneratedTokens());
            }
            running.complete(result);
        };
        // A builder per search: Thread.Builder is not thread-safe, and searches start on many request threads.
        Thread.Builder builder = platformThreads ? Thread.ofPlatform().daemon(true) : Thread.ofVirtual();
        Thread thread = builder.name("search-" + search.requestId()).unstarted(() -> {
            SolveResult result = null;
            try {
                result = execute(prepared, ticket, search.budget().deadline(), listener, answered);
            } finally {
                answered.accept(result);
            }
        });
        running.runOn(thread);
        thread.start();
        return running;
    }

    /** Runs a Kafka job on the calling thread, waiting for a running slot. */
    public SolveResult solveWaiting(SolveRequest request) {
        return execute(check(request), admission.admitWaiting(), JOB_PATIENCE, event -> {
        }, result -> {
        });
    }

    /**
     * Runs one search; {@code answered} gets its result as soon as search_finished is out, which is before the
     * search has closed its generator session and let go of its slot.
     */
    private SolveResult execute(PreparedSearch prepared, SearchAdmission.Ticket ticket, Duration patience,
                                Consumer<SearchEvent> listener, Consumer<SolveResult> answered) {
        SearchRequest search = prepared.request();
        long admitted = System.nanoTime();
        java.time.Instant admittedAt = java.time.Instant.now();
        // Timed to the answer, as its client waits (closing the generator session comes after), and recorded once the
        // client has it, so the metric's bookkeeping does not delay it.
        var events = new EventFan(search.requestId(), listener, result -> {
            Duration took = Duration.ofNanos(System.nanoTime() - admitted);
            answered.accept(result);
            metrics.finished(search.strategy().name(), result, took);
        });
        SolveResult result;
        try (ticket) {
            if (!ticket.awaitSlot(patience)) {
                result = unrun(search, StopReason.DEADLINE, "the deadline passed while the search waited for a slot", admitted);
            } else {
                result = EventMessages.result(runner.run(prepared, e -> events.accept(EventMessages.event(e, stepDelimiter)), admittedAt),
                        stepDelimiter);
            }
        } catch (InterruptedException e) {
            result = unrun(search, StopReason.CANCELLED, "cancelled while waiting for a slot", admitted);
        } catch (RuntimeException e) {
            // The runner promises not to throw for search failures; this is a bug, still answered.
            LOG.errorf(e, "search %s failed", search.requestId());
            result = unrun(search, StopReason.FAILED, "internal error: " + e, admitted).toBuilder()
                    .setErrorCode(io.grpc.Status.Code.INTERNAL.value()).build();
        }
        events.finish(result);
        return result;
    }

    private static SolveResult unrun(SearchRequest search, StopReason reason, String detail, long admittedNanos) {
        return SolveResult.newBuilder()
                .setRequestId(search.requestId())
                .setStopReason(reason)
                .setStopDetail(detail)
                .setSpend(io.ttsmesh.proto.events.Spend.newBuilder()
                        .setWallMs(Duration.ofNanos(System.nanoTime() - admittedNanos).toMillis()))
                .setBudget(EventMessages.budget(search.budget()))
                .setStrategy(EventMessages.method(search.strategy()))
                .addAllPolicies(search.policies().stream().map(EventMessages::method).toList())
                .build();
    }

    /** Hands each event to the monitor, the Kafka stream and the client, and makes sure the last one is search_finished. */
    private final class EventFan {
        private final String requestId;
        private final Consumer<SearchEvent> listener;
        private final Consumer<SolveResult> answered;
        private final AtomicLong lastSequence = new AtomicLong();
        private final AtomicBoolean finished = new AtomicBoolean();

        EventFan(String requestId, Consumer<SearchEvent> listener, Consumer<SolveResult> answered) {
            this.requestId = requestId;
            this.listener = listener;
            this.answered = answered;
        }

        void accept(SearchEvent event) {
            lastSequence.set(event.getSequence());
            if (event.hasSearchFinished()) {
                finished.set(true);
            }
            for (SearchEventSink sink : sinks) {
                sink.accept(event);
            }
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // A client that cannot take events any more (gone, too slow) must not break the search;
                // its cancellation arrives separately.
                LOG.debugf("listener of %s refused an event: %s", requestId, e.getMessage());
            }
            if (event.hasSearchFinished()) {
                answered.accept(event.getSearchFinished().getResult());
            }
        }

        void finish(SolveResult result) {
            if (finished.get()) {
                return;
            }
            accept(SearchEvent.newBuilder()
                    .setRequestId(requestId)
                    .setSequence(lastSequence.get() + 1)
                    .setTimeUnixMs(System.currentTimeMillis())
                    .setSpend(result.getSpend())
                    .setSearchFinished(SearchFinished.newBuilder().setResult(result))
                    .build());
        }
    }
}
