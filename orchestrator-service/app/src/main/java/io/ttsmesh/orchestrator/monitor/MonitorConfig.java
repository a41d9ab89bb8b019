package io.ttsmesh.orchestrator.monitor;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The live search monitor ({@code /monitor/}), under {@code tts.orchestrator.monitor}. Every buffer it keeps is
 * bounded by one of these; application.properties repeats each key with its meaning.
 */
@ConfigMapping(prefix = "tts.orchestrator.monitor")
public interface MonitorConfig {

    /** Off: searches are not tracked and the monitor's streams answer 404 (the page still loads). */
    @WithDefault("true")
    boolean enabled();

    /** Finished searches kept (with their events) for late viewers; the oldest is forgotten beyond it. */
    @WithDefault("50")
    int finishedSearches();

    /** Running searches tracked at once; beyond it the one tracked longest is forgotten. */
    @WithDefault("512")
    int runningSearches();

    /** Events kept per search for a viewer that opens it later; beyond it new events are only streamed live. */
    @WithDefault("5000")
    int eventsPerSearch();

    /** Messages waiting for one browser; when it reads too slowly, new ones are dropped and counted. */
    @WithDefault("1000")
    int subscriberBuffer();

    /** Open monitor streams at once (each browser tab holds one or two); beyond it a new one gets 503. */
    @WithDefault("32")
    int maxSubscribers();

    /** How often the overview (searches, counters, pods) is pushed to the browsers that watch it (at least 1s). */
    @WithDefault("1s")
    Duration overviewInterval();

    /** Generator pods are asked for their live branches (Describe) this often, only while someone watches. */
    @WithDefault("2s")
    Duration podProbeInterval();

    /** An idle stream sends a comment this often, so a browser that went away is noticed. */
    @WithDefault("15s")
    Duration heartbeat();

    /** A browser that takes longer than this to accept one write is disconnected. */
    @WithDefault("30s")
    Duration sendTimeout();

    /** A running search with no event for this long is forgotten (its end was lost, e.g. on Kafka). */
    @WithDefault("15m")
    Duration staleAfter();

    /**
     * With the Kafka plane on: also follow tts.events, so that this monitor shows the searches of every
     * orchestrator pod. Local searches are always seen in process, whatever this says.
     */
    @WithDefault("true")
    boolean followKafka();
}
