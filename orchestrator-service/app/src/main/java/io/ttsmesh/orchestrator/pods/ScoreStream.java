package io.ttsmesh.orchestrator.pods;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.ttsmesh.proto.verifier.ScoreRequest;
import io.ttsmesh.proto.verifier.ScoreResponse;
import io.ttsmesh.proto.verifier.VerifierGrpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The long-lived ScoreStream to one verifier pod, shared by every search of this orchestrator: a scoring
 * batch is one message each way on it (call_id correlation) instead of a new HTTP/2 stream with headers per
 * call. Opened on first use; when it ends (pod gone, GOAWAY, error), every call waiting on it fails with the
 * stream's status and the next call opens a new one. A pod that does not offer ScoreStream (UNIMPLEMENTED,
 * an older verifier) is remembered, and the caller goes on with unary ScoreSteps there.
 */
final class ScoreStream {

    private final Endpoint endpoint;
    private final AtomicLong nextCallId = new AtomicLong(1);
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Open open;
    private volatile boolean unsupported;
    private volatile boolean closedHere;

    /** One opened stream and the calls waiting for their answers on it. */
    private final class Open {
        final ConcurrentHashMap<Long, CompletableFuture<ScoreResponse>> waiting = new ConcurrentHashMap<>();
        ClientCallStreamObserver<ScoreRequest> requests;
        volatile Status ended;

        void end(Status status) {
            status = PodLoss.asUnavailable(status, closedHere, "verifier " + endpoint.instance());
            ended = status;
            if (status.getCode() == Status.Code.UNIMPLEMENTED) {
                unsupported = true;
            }
            lock.lock();
            try {
                if (open == this) {
                    open = null;
                }
            } finally {
                lock.unlock();
            }
            StatusRuntimeException failure = status.asRuntimeException();
            waiting.values().forEach(f -> f.completeExceptionally(failure));
        }
    }

    ScoreStream(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** False once the pod answered ScoreStream with UNIMPLEMENTED: call it with ScoreSteps instead. */
    boolean supported() {
        return !unsupported;
    }

    /**
     * Sends the request (its call_id is set here) and returns its answer to come. The future fails with a
     * {@link StatusRuntimeException} when the stream ends before the answer; the caller bounds the wait and
     * calls {@link #forget} when it stops waiting.
     */
    Call send(ScoreRequest.Builder request) {
        long id = nextCallId.getAndIncrement();
        CompletableFuture<ScoreResponse> answer = new CompletableFuture<>();
        lock.lock();
        try {
            Open stream = open != null ? open : open();
            stream.waiting.put(id, answer);
            Status ended = stream.ended;
            if (ended != null) {
                stream.waiting.remove(id);
                answer.completeExceptionally(ended.asRuntimeException());
            } else {
                stream.requests.onNext(request.setCallId(id).build());
            }
            return new Call(stream, id, answer);
        } catch (RuntimeException e) {
            answer.completeExceptionally(e instanceof StatusRuntimeException ? e
                    : Status.UNAVAILABLE.withDescription(e.getMessage()).withCause(e).asRuntimeException());
            return new Call(null, id, answer);
        } finally {
            lock.unlock();
        }
    }

    /** Call with the lock held. */
    private Open open() {
        Open stream = new Open();
        VerifierGrpc.newStub(endpoint.channel()).scoreStream(new ClientResponseObserver<ScoreRequest, ScoreResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<ScoreRequest> requests) {
                stream.requests = requests;
            }

            @Override
            public void onNext(ScoreResponse response) {
                CompletableFuture<ScoreResponse> answer = stream.waiting.remove(response.getCallId());
                if (answer != null) {
                    answer.complete(response);
                }
                // else: its caller stopped waiting (deadline, cancelled search)
            }

            @Override
            public void onError(Throwable t) {
                stream.end(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                stream.end(Status.UNAVAILABLE.withDescription("verifier " + endpoint.instance() + " ended the score stream"));
            }
        });
        open = stream;
        return stream;
    }

    /** One request on the stream. */
    record Call(Open stream, long id, CompletableFuture<ScoreResponse> answer) {
    }

    /** The caller stopped waiting for this call's answer. */
    void forget(Call call) {
        if (call.stream() != null) {
            call.stream().waiting.remove(call.id());
        }
    }

    /** Ends the stream (orchestrator shutdown); calls waiting on it fail CANCELLED. */
    void close() {
        closedHere = true;
        lock.lock();
        try {
            Open stream = open;
            if (stream != null) {
                stream.requests.cancel("orchestrator shutting down", null);
            }
        } finally {
            lock.unlock();
        }
    }
}
