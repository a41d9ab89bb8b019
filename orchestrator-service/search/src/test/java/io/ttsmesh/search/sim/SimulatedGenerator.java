package io.ttsmesh.search.sim;

import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.GenerationSessions;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A generator for tests that solves the test bed's arithmetic step by step, one character per token,
 * making an error in a step with probability {@code errorRate} (later steps then build on the wrong
 * value, as a real model's do). Branches decode together token by token, so in one extend call the
 * shortest steps answer first and a cancel stops the others mid-way (with the tokens they spent).
 */
public final class SimulatedGenerator implements GenerationSessions {

    final double errorRate;
    final int contextLength;
    final Runnable onCall;
    private final List<SimulatedSession> sessions = new CopyOnWriteArrayList<>();

    public SimulatedGenerator(double errorRate) {
        this(errorRate, 1024, () -> { });
    }

    /** @param onCall runs before every session call (tests advance a clock with it) */
    public SimulatedGenerator(double errorRate, int contextLength, Runnable onCall) {
        this.errorRate = errorRate;
        this.contextLength = contextLength;
        this.onCall = onCall;
    }

    @Override
    public GenerationSession open(String requestId, Instant deadline) {
        SimulatedSession s = new SimulatedSession(this, requestId);
        sessions.add(s);
        return s;
    }

    public SimulatedSession lastSession() {
        return sessions.get(sessions.size() - 1);
    }

    public List<SimulatedSession> sessions() {
        return List.copyOf(sessions);
    }
}
