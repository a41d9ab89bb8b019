package io.ttsmesh.orchestrator.pods;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import io.ttsmesh.proto.verifier.CandidateScores;
import io.ttsmesh.proto.verifier.ScoreRequest;
import io.ttsmesh.proto.verifier.ScoreResponse;
import io.ttsmesh.proto.verifier.VerifierGrpc;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A verifier pod for the ScoreStream client's tests, over real gRPC on loopback: it serves only ScoreStream and
 * scores every step 0.5; a request whose question is "refuse" is refused as a whole (INVALID_ARGUMENT); a pod that
 * holds never answers one whose question is "hold", so it can be killed while calls wait on its stream.
 */
final class StreamingVerifier implements AutoCloseable {

    private final Server server;
    private final AtomicInteger streams = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch held = new CountDownLatch(1);

    StreamingVerifier(boolean holds) throws IOException {
        server = ServerBuilder.forPort(0).addService(new VerifierGrpc.VerifierImplBase() {
            @Override
            public StreamObserver<ScoreRequest> scoreStream(StreamObserver<ScoreResponse> answers) {
                streams.incrementAndGet();
                return new StreamObserver<>() {
                    @Override
                    public void onNext(ScoreRequest request) {
                        requests.incrementAndGet();
                        var answer = ScoreResponse.newBuilder().setRequestId(request.getRequestId()).setCallId(request.getCallId());
                        switch (request.getQuestion()) {
                            case "refuse" -> answer.setErrorCode(3).setErrorMessage("question: not for this pod");
                            case "hold" -> {
                                if (holds) {
                                    held.countDown();
                                    return;
                                }
                                score(request, answer);
                            }
                            default -> score(request, answer);
                        }
                        synchronized (answers) {
                            answers.onNext(answer.build());
                        }
                    }

                    private void score(ScoreRequest request, ScoreResponse.Builder answer) {
                        request.getCandidatesList().forEach(c -> {
                            var scores = CandidateScores.newBuilder().setId(c.getId());
                            c.getStepsList().forEach(s -> scores.addStepScores(0.5f));
                            answer.addResults(scores);
                        });
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        answers.onCompleted();
                    }
                };
            }
        }).build().start();
    }

    String address() {
        return "localhost:" + server.getPort();
    }

    /** Streams opened to this pod so far. */
    int streams() {
        return streams.get();
    }

    int requests() {
        return requests.get();
    }

    /** Waits until a "hold" request has arrived. */
    boolean awaitHeld() throws InterruptedException {
        return held.await(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
