package io.ttsmesh.generator.grpc;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.ttsmesh.proto.generator.GeneratorGrpc;
import io.ttsmesh.proto.generator.SessionCommand;
import io.ttsmesh.proto.generator.SessionEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A test client's Session stream over real gRPC: sends commands, waits for the events answering them. */
final class GrpcSession implements ClientResponseObserver<SessionCommand, SessionEvent> {

    private final LinkedBlockingQueue<SessionEvent> events = new LinkedBlockingQueue<>();
    private final List<SessionEvent> unclaimed = new ArrayList<>();
    private final CompletableFuture<Status> end = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();
    private final String requestId;
    private StreamObserver<SessionCommand> requests;
    private ClientCallStreamObserver<SessionCommand> call;

    private GrpcSession(String requestId) {
        this.requestId = requestId;
    }

    static GrpcSession open(GeneratorGrpc.GeneratorStub stub, String requestId) {
        GrpcSession session = new GrpcSession(requestId);
        session.requests = stub.session(session);
        return session;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<SessionCommand> requestStream) {
        this.call = requestStream;
    }

    @Override
    public void onNext(SessionEvent value) {
        events.add(value);
    }

    @Override
    public void onError(Throwable t) {
        end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        end.complete(Status.OK);
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    SessionCommand.Builder command() {
        return SessionCommand.newBuilder().setRequestId(requestId).setCommandId(nextId());
    }

    /** Sends and returns the command id. */
    long send(SessionCommand command) {
        requests.onNext(command);
        return command.getCommandId();
    }

    SessionEvent call(SessionCommand command) {
        return call(command, 1).getFirst();
    }

    List<SessionEvent> call(SessionCommand command, int answers) {
        return await(send(command), answers);
    }

    List<SessionEvent> await(long commandId, int answers) {
        List<SessionEvent> found = new ArrayList<>();
        unclaimed.removeIf(e -> e.getCommandId() == commandId && found.add(e));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (found.size() < answers) {
            SessionEvent e;
            try {
                e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
            if (e == null) {
                throw new AssertionError("no answer to command " + commandId + " (got " + found + "); stream end: "
                        + end.getNow(null));
            }
            if (e.getCommandId() == commandId) {
                found.add(e);
            } else {
                unclaimed.add(e);
            }
        }
        return found;
    }

    /** Every event answering {@code commandId} that arrived and no await took (complete once the stream ended). */
    List<SessionEvent> received(long commandId) {
        events.drainTo(unclaimed);
        return unclaimed.stream().filter(e -> e.getCommandId() == commandId).toList();
    }

    /** How the stream ended (waits for it). */
    Status end() {
        try {
            return end.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the stream did not end", e);
        }
    }

    void halfClose() {
        requests.onCompleted();
    }

    /** The client goes away without closing. */
    void disconnect() {
        call.cancel("client went away", null);
    }
}
