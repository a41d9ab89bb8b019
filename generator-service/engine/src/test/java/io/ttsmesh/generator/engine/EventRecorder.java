package io.ttsmesh.generator.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A session listener for tests: records events and waits for the answers to a command. */
final class EventRecorder implements SessionListener {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<Event> seen = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    EngineSession session;

    static EventRecorder open(GeneratorEngine engine, String requestId) {
        EventRecorder recorder = new EventRecorder();
        recorder.session = engine.openSession(requestId, recorder);
        return recorder;
    }

    @Override
    public void onEvent(Event event) {
        events.add(event);
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    /** Submits and waits for {@code answers} events answering the command. */
    List<Event> call(Command command, int answers) {
        session.submit(command);
        return await(command.commandId(), answers);
    }

    /** Submits and waits for one answer. */
    Event call(Command command) {
        return call(command, 1).getFirst();
    }

    List<Event> await(long commandId, int answers) {
        List<Event> found = new ArrayList<>();
        for (Event e : seen) {
            if (e.commandId() == commandId && !(e instanceof Event.Progress)) {
                found.add(e);
            }
        }
        seen.removeAll(found);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (found.size() < answers) {
            Event event;
            try {
                event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (event == null) {
                throw new AssertionError("timed out waiting for " + answers + " answers to command " + commandId
                        + "; got " + found + ", others " + seen);
            }
            if (event.commandId() == commandId && !(event instanceof Event.Progress)) {
                found.add(event);
            } else {
                seen.add(event);
            }
        }
        return found;
    }

    /** Every event received so far that nobody awaited (Progress events included). */
    List<Event> drainOthers() {
        events.drainTo(seen);
        List<Event> copy = new ArrayList<>(seen);
        seen.clear();
        return copy;
    }

    long start(String prompt, List<Long> ids, Sampling sampling) {
        long id = nextId();
        Event e = call(new Command.Start(id, prompt, ids, sampling, List.of(), ""));
        if (!(e instanceof Event.Started)) {
            throw new AssertionError("start failed: " + e);
        }
        return id;
    }

    List<Event.Step> extend(List<Long> ids, int maxTokens, boolean toEnd) {
        long id = nextId();
        List<Event> answers = call(new Command.Extend(id, ids, maxTokens, toEnd, false, null, null, List.of(), false),
                ids.size());
        List<Event.Step> steps = new ArrayList<>();
        for (Event e : answers) {
            if (!(e instanceof Event.Step step)) {
                throw new AssertionError("extend failed: " + e);
            }
            steps.add(step);
        }
        return steps;
    }
}
