package io.ttsmesh.mesh.inprocess;

import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.GenerationSessions;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Library mode: the search's generation port served by a {@link GeneratorEngine} in the same JVM,
 * with no network in between. Every session is an engine session; its branches are decoded together
 * with those of every other session of the engine.
 */
public final class InProcessGenerationSessions implements GenerationSessions {

    private final GeneratorEngine engine;
    private final Clock clock;

    public InProcessGenerationSessions(GeneratorEngine engine) {
        this(engine, Clock.systemUTC());
    }

    /** @param clock what the sessions' deadlines are read against */
    public InProcessGenerationSessions(GeneratorEngine engine, Clock clock) {
        this.engine = Objects.requireNonNull(engine);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public GenerationSession open(String requestId, Instant deadline) {
        return new InProcessGenerationSession(engine, requestId, deadline, clock);
    }
}
