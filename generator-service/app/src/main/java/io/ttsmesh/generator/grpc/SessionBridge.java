package io.ttsmesh.generator.grpc;

import io.grpc.Status;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.ttsmesh.generator.engine.Command;
import io.ttsmesh.generator.engine.EngineSession;
import io.ttsmesh.generator.engine.Event;
import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.proto.generator.SessionCommand;
import io.ttsmesh.proto.generator.SessionEvent;
import io.vertx.core.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One gRPC Session stream tied to one engine session: commands in, events out. Only a broken protocol
 * (request_id missing or changed) ends the stream with a status; everything else is a CommandError and
 * the stream goes on. However the stream ends, the session's branches are freed.
 *
 * <p>Events leave through an outbox drained on the stream's event loop, not written from the decode thread:
 * the decode thread only queues them (mapping to protobuf, serializing and waking the event loop are no longer
 * in the way of the next decode step), and the events one decode step produces go out in one drain, which
 * gRPC flushes to the socket once. To a client that accepts step batches, the Steps of one Extend that a drain
 * finds together go out as one StepBatch event.
 *
 * <p>A quiet Fork or Cancel (SessionCommand.quiet) is answered only if it fails: its success is dropped before the
 * outbox, so it neither wakes the event loop nor costs a write.
 */
final class SessionBridge {

    private final GeneratorEngine engine;
    private final MultiEmitter<? super SessionEvent> out;
    /** The stream's event loop; null outside one (events are then written by the thread that has them). */
    private final Context eventLoop;
    /** Engine events, and answers made here (a SessionEvent), waiting for the event loop. */
    private final Queue<Object> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final SessionRoundTrips roundTrips;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile String requestId;
    private volatile EngineSession session;
    /** Commands of this stream the client waited for, and the ones it pipelined (gRPC delivers them one at a time). */
    private volatile int awaitedCommands;
    private volatile int pipelinedCommands;
    /** Quiet Forks and Cancels not answered yet: their success is not sent. */
    private final Set<Long> quietForks = ConcurrentHashMap.newKeySet();
    private final Set<Long> quietCancels = ConcurrentHashMap.newKeySet();
    /** The client reads StepBatch events (SessionCommand.accepts_step_batches). */
    private volatile boolean stepBatches;

    SessionBridge(GeneratorEngine engine, MultiEmitter<? super SessionEvent> out, SessionRoundTrips roundTrips, Context eventLoop) {
        this.engine = engine;
        this.out = out;
        this.roundTrips = roundTrips;
        this.eventLoop = eventLoop;
    }

    void onCommand(SessionCommand command) {
        if (ended.get()) {
            return;
        }
        if (command.getRequestId().isEmpty()) {
            fail(Status.INVALID_ARGUMENT.withDescription("request_id is required on every command (command_id "
                    + command.getCommandId() + " has none)"));
            return;
        }
        if (session == null) {
            requestId = command.getRequestId();
            session = engine.openSession(requestId, this::onEvent);
        } else if (!requestId.equals(command.getRequestId())) {
            fail(Status.INVALID_ARGUMENT.withDescription("request_id changed within the stream from '" + requestId
                    + "' to '" + command.getRequestId() + "'; one stream serves one search"));
            return;
        }
        if (command.getAcceptsStepBatches()) {
            stepBatches = true;
        }
        if (command.getPipelined()) {
            pipelinedCommands++;
        } else {
            awaitedCommands++;
        }
        roundTrips.command(command.getPipelined());
        Command mapped = ProtoMapping.command(command);
        if (mapped == null) {
            SessionEvent refusal = SessionEvent.newBuilder().setRequestId(requestId).setCommandId(command.getCommandId())
                    .setError(ProtoMapping.error(Status.Code.INVALID_ARGUMENT.value(),
                            "the command has none of start, extend, fork, cancel, probe, append, close set", List.of()))
                    .build();
            viaOutbox(refusal); // behind the events queued before it
            return;
        }
        if (command.getQuiet() && command.hasFork()) {
            quietForks.add(command.getCommandId());
        } else if (command.getQuiet() && command.hasCancel()) {
            quietCancels.add(command.getCommandId());
        }
        session.submit(mapped);
    }

    /** Called by the decode thread (or a thread whose command the engine refused at once). */
    private void onEvent(Event event) {
        boolean quietSuccess = switch (event) {
            case Event.Forked f -> quietForks.remove(f.commandId());
            case Event.Cancelled c -> quietCancels.remove(c.commandId());
            case Event.Failed f -> {
                quietForks.remove(f.commandId()); // a Fork gets one answer; a Cancel's Cancelled still follows
                yield false;
            }
            default -> false;
        };
        if (!quietSuccess) {
            viaOutbox(event);
        }
    }

    /** {@code item}: an engine Event or a SessionEvent made here. */
    private void viaOutbox(Object item) {
        if (eventLoop == null) {
            write(item);
            return;
        }
        outbox.add(item);
        if (drainScheduled.compareAndSet(false, true)) {
            eventLoop.runOnContext(ignored -> drain());
        }
    }

    /**
     * On the event loop: everything queued so far, in order; gRPC flushes once after this task. For a client that
     * accepts step batches, consecutive Steps of the same command go out as one StepBatch.
     */
    private void drain() {
        List<Event.Step> steps = new ArrayList<>();
        do {
            Object next;
            while ((next = outbox.poll()) != null) {
                if (next instanceof Event.Step step && stepBatches) {
                    if (!steps.isEmpty() && steps.getFirst().commandId() != step.commandId()) {
                        writeSteps(steps);
                    }
                    steps.add(step);
                    continue;
                }
                writeSteps(steps);
                write(next);
            }
            writeSteps(steps);
            drainScheduled.set(false);
        } while (!outbox.isEmpty() && drainScheduled.compareAndSet(false, true));
    }

    private void writeSteps(List<Event.Step> steps) {
        if (steps.size() == 1) {
            deliver(steps.getFirst());
        } else if (!steps.isEmpty()) {
            emit(ProtoMapping.steps(requestId, steps));
        }
        steps.clear();
    }

    private void write(Object item) {
        if (item instanceof Event event) {
            deliver(event);
        } else {
            emit((SessionEvent) item);
        }
    }

    private void deliver(Event event) {
        SessionEvent mapped = ProtoMapping.event(requestId, event);
        if (event instanceof Event.Closed) {
            int awaited = awaitedCommands;
            mapped = mapped.toBuilder().setClosed(mapped.getClosed().toBuilder()
                    .setAwaitedCommands(awaited).setPipelinedCommands(pipelinedCommands)).build();
            roundTrips.sessionClosed(awaited);
        }
        emit(mapped);
        if (event instanceof Event.Closed && ended.compareAndSet(false, true)) {
            out.complete();
        }
    }

    private void emit(SessionEvent event) {
        if (!ended.get()) {
            roundTrips.eventSent(event.getSerializedSize());
            out.emit(event);
        }
    }

    /** The client half-closed its side: the session ends and its branches are freed. */
    void onClientDone() {
        if (ended.compareAndSet(false, true)) {
            abandonSession();
            out.complete();
        }
    }

    /** The client went away (cancelled, deadline, connection lost). */
    void onClientGone(Throwable ignored) {
        ended.set(true);
        abandonSession();
    }

    /** The response stream terminated, for whatever reason. */
    void onTermination() {
        ended.set(true);
        abandonSession();
    }

    private void fail(Status status) {
        if (ended.compareAndSet(false, true)) {
            abandonSession();
            out.fail(status.asRuntimeException());
        }
    }

    private void abandonSession() {
        EngineSession s = session;
        if (s != null) {
            s.abandon();
        }
    }
}
