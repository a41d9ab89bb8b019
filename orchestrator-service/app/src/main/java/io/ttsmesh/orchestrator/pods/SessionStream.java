package io.ttsmesh.orchestrator.pods;

import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.ttsmesh.proto.generator.GeneratorGrpc;
import io.ttsmesh.proto.generator.SessionCommand;
import io.ttsmesh.proto.generator.SessionEvent;
import io.ttsmesh.search.generation.GenerationException;
import io.ttsmesh.search.status.StatusCode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Session stream to one generator pod, with command-id correlation: every command gets a queue that
 * collects the events answering it, and the caller blocks on that queue (a virtual thread costs nothing
 * while it waits). When the stream ends, every waiting caller is woken with the stream's status.
 *
 * <p>Commands nobody needs to wait for (forks, cancels) are pipelined: {@link #pipeline} holds them and the
 * next awaited command ({@link #send}) or {@link #flush} writes them all at once, so the generator gets them
 * in one read, in order, ahead of the command that needs them, and the event loop is woken once. They are
 * quiet: a Fork or Cancel that succeeds is not answered (a generator that predates the flag answers it, and the
 * answer is ignored); a CommandError answering one is kept and handed out by {@link #pipelineFailure}.
 *
 * <p>Every command says the client accepts step batches: an Extend's Steps may arrive several to an event.
 */
final class SessionStream {

    /** Set when a search takes the stream (a spare is opened before its search is known). */
    private volatile String requestId;
    private volatile boolean claimed;
    private final Endpoint endpoint;
    private final Instant streamDeadline;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ConcurrentHashMap<Long, BlockingQueue<Object>> replies = new ConcurrentHashMap<>();
    private final AtomicLong nextCommandId = new AtomicLong(1);
    private final AtomicBoolean released = new AtomicBoolean();
    private final ClientCallStreamObserver<SessionCommand> commands;
    private volatile Status ended;
    private volatile boolean cancelledHere;
    /** Pipelined commands by id: what each was, to name it in a failure. */
    private final ConcurrentHashMap<Long, String> pipelined = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<GenerationException> pipelineFailures = new ConcurrentLinkedQueue<>();
    /** Pipelined commands not written yet (guarded by sendLock). */
    private final List<SessionCommand> held = new ArrayList<>();

    /** Marks the end of the stream in a reply queue. */
    private record StreamEnded(Status status) {
    }

    /** Opens a stream for the search {@code requestId}. */
    static SessionStream open(String requestId, Endpoint endpoint, Instant streamDeadline) {
        SessionStream stream = new SessionStream(endpoint, streamDeadline);
        stream.claim(requestId);
        return stream;
    }

    /** Opens a stream no search owns yet (see {@link SpareStreams}); {@link #claim} gives it one. */
    SessionStream(Endpoint endpoint, Instant streamDeadline) {
        this.endpoint = endpoint;
        this.streamDeadline = streamDeadline;
        long millis = Math.max(1, Duration.between(Instant.now(), streamDeadline).toMillis());
        var stub = GeneratorGrpc.newStub(endpoint.channel()).withDeadline(Deadline.after(millis, TimeUnit.MILLISECONDS));
        var holder = new java.util.concurrent.atomic.AtomicReference<ClientCallStreamObserver<SessionCommand>>();
        stub.session(new ClientResponseObserver<SessionCommand, SessionEvent>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<SessionCommand> requestStream) {
                holder.set(requestStream);
            }

            @Override
            public void onNext(SessionEvent event) {
                BlockingQueue<Object> reply = replies.get(event.getCommandId());
                if (reply != null) {
                    reply.add(event);
                } else if (event.hasError()) {
                    String what = pipelined.get(event.getCommandId());
                    if (what != null) {
                        var error = event.getError();
                        pipelineFailures.add(new GenerationException(StatusCode.named(Status.fromCodeValue(error.getCode()).getCode().name()),
                                what + " failed: " + error.getMessage()));
                    }
                }
                // else: a pipelined command's success, or an answer to a command its caller gave up on (error,
                // deadline); nothing waits for it.
            }

            @Override
            public void onError(Throwable t) {
                end(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                end(Status.UNAVAILABLE.withDescription("generator " + endpoint.instance() + " ended the session"));
            }
        });
        this.commands = holder.get();
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** The search this stream serves from now on: it counts among its pod's open sessions until it ends. */
    void claim(String requestId) {
        this.requestId = requestId;
        endpoint.acquire();
        claimed = true;
        if (ended != null) {
            release(); // it ended before it was claimed: nothing else will
        }
    }

    /** Whether gRPC keeps the stream open at least until {@code deadline} (its own deadline is later). */
    boolean lastsUntil(Instant deadline) {
        return !streamDeadline.isBefore(deadline);
    }

    /** True once the stream has ended (the pod closed it, went away, or we cancelled it). */
    boolean ended() {
        return ended != null;
    }

    /** Sends a command and returns the queue its answers arrive in; close that when done with it. */
    Command send(SessionCommand.Builder command) {
        return awaited(command, true);
    }

    /**
     * Registers a command whose answer will be waited for, but holds it like a pipelined one: it is written
     * with the next command or {@link #flush}, ahead of that command (a Start sent with the first Extend).
     */
    Command sendLater(SessionCommand.Builder command) {
        return awaited(command, false);
    }

    private Command awaited(SessionCommand.Builder command, boolean writeNow) {
        Status status = ended;
        if (status != null) {
            throw failure(status);
        }
        long id = nextCommandId.getAndIncrement();
        BlockingQueue<Object> reply = new LinkedBlockingQueue<>();
        replies.put(id, reply);
        SessionCommand built = command.setRequestId(requestId).setCommandId(id).setAcceptsStepBatches(true).build();
        sendLock.lock();
        try {
            if (writeNow) {
                writeHeld();
                commands.onNext(built);
            } else {
                held.add(built);
            }
        } catch (RuntimeException e) {
            replies.remove(id);
            throw new GenerationException(StatusCode.UNAVAILABLE, "generator " + endpoint.instance() + ": " + e.getMessage(), e);
        } finally {
            sendLock.unlock();
        }
        // The stream may have ended between the check and the registration: make sure the caller hears of it.
        status = ended;
        if (status != null) {
            reply.add(new StreamEnded(status));
        }
        return new Command(id, reply);
    }

    /**
     * Holds a command whose answer nobody waits for; it is written with the next awaited command or
     * {@link #flush}. {@code what} names it ("fork of branch 3 into [9, 10]") in the failure a CommandError for
     * it becomes.
     */
    void pipeline(SessionCommand.Builder command, String what) {
        Status status = ended;
        if (status != null) {
            throw failure(status);
        }
        long id = nextCommandId.getAndIncrement();
        pipelined.put(id, what);
        sendLock.lock();
        try {
            held.add(command.setRequestId(requestId).setCommandId(id).setPipelined(true).setQuiet(true).build());
        } finally {
            sendLock.unlock();
        }
    }

    /** Writes the held pipelined commands now (a cancel an Extend in flight is waiting for). */
    void flush() {
        if (ended != null) {
            return;
        }
        sendLock.lock();
        try {
            writeHeld();
        } catch (RuntimeException e) {
            throw new GenerationException(StatusCode.UNAVAILABLE, "generator " + endpoint.instance() + ": " + e.getMessage(), e);
        } finally {
            sendLock.unlock();
        }
    }

    /** Call with sendLock held. */
    private void writeHeld() {
        for (SessionCommand command : held) {
            commands.onNext(command);
        }
        held.clear();
    }

    /**
     * The first failure of a pipelined command answered so far (the others are dropped: the first explains
     * what followed), or null. Commands run in order, so once an awaited command is answered, every pipelined
     * one before it that failed at once has its answer here.
     */
    GenerationException pipelineFailure() {
        GenerationException first = pipelineFailures.poll();
        if (first != null) {
            pipelineFailures.clear();
        }
        return first;
    }

    /** The answers to one command. */
    final class Command implements AutoCloseable {
        private final long id;
        private final BlockingQueue<Object> reply;

        private Command(long id, BlockingQueue<Object> reply) {
            this.id = id;
            this.reply = reply;
        }

        /**
         * The next event answering this command. Throws GenerationException: CANCELLED when the thread is
         * interrupted (the interrupt flag stays set), DEADLINE_EXCEEDED at {@code until}, the stream's status
         * when the stream ended, the command's code when the generator answered with a CommandError.
         */
        SessionEvent next(Instant until) {
            Object item;
            try {
                long nanos = Duration.between(Instant.now(), until).toNanos();
                item = nanos <= 0 ? reply.poll() : reply.poll(nanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GenerationException(StatusCode.CANCELLED, "search cancelled while waiting for generator " + endpoint.instance());
            }
            if (item == null) {
                throw new GenerationException(StatusCode.DEADLINE_EXCEEDED, "no answer from generator " + endpoint.instance() + " before the deadline");
            }
            if (item instanceof StreamEnded(Status status)) {
                throw failure(status);
            }
            SessionEvent event = (SessionEvent) item;
            if (event.hasError()) {
                var error = event.getError();
                throw new GenerationException(StatusCode.named(Status.fromCodeValue(error.getCode()).getCode().name()), error.getMessage());
            }
            return event;
        }

        @Override
        public void close() {
            replies.remove(id);
        }
    }

    private void end(Status status) {
        status = PodLoss.asUnavailable(status, cancelledHere, "generator " + endpoint.instance());
        ended = status;
        StreamEnded marker = new StreamEnded(status);
        replies.values().forEach(q -> q.add(marker));
        release();
    }

    /** Half-closes our side; the generator then completes the stream. */
    void complete() {
        sendLock.lock();
        try {
            if (ended == null) {
                writeHeld();
                commands.onCompleted();
            }
        } catch (RuntimeException ignored) {
            // already closed by the other side
        } finally {
            sendLock.unlock();
        }
    }

    /** Abandons the stream at once; the generator frees every branch of it. */
    void cancel(String why) {
        cancelledHere = true;
        sendLock.lock();
        try {
            commands.cancel(why, null);
        } finally {
            sendLock.unlock();
        }
        release();
    }

    private void release() {
        if (claimed && released.compareAndSet(false, true)) {
            endpoint.release();
        }
    }

    private GenerationException failure(Status status) {
        String description = status.getDescription() == null ? status.getCode().name() : status.getDescription();
        return new GenerationException(StatusCode.named(status.getCode().name()), "generator " + endpoint.instance() + ": " + description,
                status.getCause());
    }
}
