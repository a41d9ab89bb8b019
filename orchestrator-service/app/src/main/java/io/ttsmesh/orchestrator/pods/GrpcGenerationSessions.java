package io.ttsmesh.orchestrator.pods;

import io.smallrye.faulttolerance.api.Guard;
import io.ttsmesh.search.generation.GenerationException;
import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.GenerationSessions;
import io.ttsmesh.search.status.StatusCode;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens one Session stream per search on the generator pod with the fewest open sessions (ties in turn).
 * Each pod has a circuit breaker (SmallRye Fault Tolerance) fed by failed session starts: a pod whose
 * starts keep failing with UNAVAILABLE is left out of the choice until the breaker half-opens.
 */
public final class GrpcGenerationSessions implements GenerationSessions {

    private final EndpointGroup generators;
    private final Duration closeGrace;
    private final String stepDelimiter;
    private final int breakerFailures;
    private final Duration breakerDelay;
    private final Map<Endpoint, Guard> breakers = new ConcurrentHashMap<>();
    private final SpareStreams spares;
    private final java.util.concurrent.atomic.AtomicLong failovers = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong reprefillTokens = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong closedSessions = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong awaitedCommands = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong pipelinedCommands = new java.util.concurrent.atomic.AtomicLong();

    /** Without spare streams: every search opens its own. */
    public GrpcGenerationSessions(EndpointGroup generators, Duration closeGrace, String stepDelimiter,
                                  int breakerFailures, Duration breakerDelay) {
        this(generators, closeGrace, stepDelimiter, breakerFailures, breakerDelay, null);
    }

    /**
     * @param longestSearch with spare streams ({@link SpareStreams}): the longest deadline a search may have;
     *                      null: every search opens its own stream
     */
    public GrpcGenerationSessions(EndpointGroup generators, Duration closeGrace, String stepDelimiter,
                                  int breakerFailures, Duration breakerDelay, Duration longestSearch) {
        this.spares = longestSearch == null ? null : new SpareStreams(longestSearch.plus(closeGrace));
        this.generators = generators;
        this.closeGrace = closeGrace;
        this.stepDelimiter = stepDelimiter == null ? "" : stepDelimiter;
        this.breakerFailures = breakerFailures;
        this.breakerDelay = breakerDelay;
    }

    @Override
    public GenerationSession open(String requestId, Instant deadline) {
        Instant closeDeadline = deadline.plus(closeGrace);
        SessionStream stream = reopen(requestId, Set.of(), closeDeadline);
        if (stream == null) {
            throw new GenerationException(StatusCode.UNAVAILABLE, "no generator configured");
        }
        return new GrpcGenerationSession(requestId, deadline, closeDeadline, stepDelimiter, this, stream);
    }

    /** The generator instance a session opened by this class runs on. */
    public static String generatorOf(GenerationSession session) {
        return session instanceof GrpcGenerationSession grpc ? grpc.generator() : null;
    }

    /** A new stream on the least-loaded pod not in {@code exclude}, or null when none is left. */
    SessionStream reopen(String requestId, Set<Endpoint> exclude, Instant streamDeadline) {
        Endpoint chosen = generators.leastLoaded(exclude);
        if (chosen == null) {
            return null;
        }
        return spares == null ? SessionStream.open(requestId, chosen, streamDeadline) : spares.take(chosen, requestId, streamDeadline);
    }

    /** After the pods were resolved again: spare streams for new pods, none for pods that left. */
    void refreshSpares() {
        if (spares != null) {
            spares.refresh(generators.endpoints());
        }
    }

    /** Spare streams held (0 without them). */
    int spareStreams() {
        return spares == null ? 0 : spares.size();
    }

    /** Ends the spare streams (before the channels shut down). */
    void close() {
        if (spares != null) {
            spares.close();
        }
    }

    /** A session moved its live branches to another pod, prefilling {@code tokens} again. */
    void failedOver(long tokens) {
        failovers.incrementAndGet();
        reprefillTokens.addAndGet(tokens);
    }

    /** Sessions moved to another pod since start (a pod went away mid-search). */
    public long failovers() {
        return failovers.get();
    }

    /** Prompt tokens prefilled again by those moves. */
    public long reprefillTokens() {
        return reprefillTokens.get();
    }

    /** A session closed; the generator counted its commands (Closed.awaited_commands, pipelined_commands). */
    void closed(int awaited, int pipelined) {
        closedSessions.incrementAndGet();
        awaitedCommands.addAndGet(awaited);
        pipelinedCommands.addAndGet(pipelined);
    }

    /** Sessions closed with the generator's account read, since start. */
    public long closedSessions() {
        return closedSessions.get();
    }

    /**
     * Commands of those sessions the generators counted as awaited (sequential round trips; 0 from generators
     * that do not count them).
     */
    public long awaitedCommands() {
        return awaitedCommands.get();
    }

    /** Commands of those sessions sent pipelined, without waiting. */
    public long pipelinedCommands() {
        return pipelinedCommands.get();
    }

    /** Runs a session start through the pod's circuit breaker. */
    <T> T guarded(Endpoint endpoint, Callable<T> start) {
        Guard guard = breakers.computeIfAbsent(endpoint, e -> Guard.create()
                .withDescription("generator " + e.address())
                .withCircuitBreaker()
                .requestVolumeThreshold(breakerFailures)
                .failureRatio(1.0)
                .delay(breakerDelay.toMillis(), ChronoUnit.MILLIS)
                .when(GrpcGenerationSessions::podFailure)
                .onStateChange(e::breakerChanged)
                .done()
                .build());
        try {
            @SuppressWarnings("unchecked")
            T result = (T) guard.call(start::call, Object.class);
            return result;
        } catch (CircuitBreakerOpenException e) {
            throw new GenerationException(StatusCode.UNAVAILABLE, "generator " + endpoint.instance() + " is failing (circuit open)", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new GenerationException(StatusCode.INTERNAL, e.getMessage(), e);
        }
    }

    /** Only a pod that cannot be reached counts against it; a bad request is the caller's fault. */
    private static boolean podFailure(Throwable t) {
        return t instanceof GenerationException g && "UNAVAILABLE".equals(g.code());
    }
}
