package io.ttsmesh.orchestrator.testing;

import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.ttsmesh.proto.verifier.CandidateScores;
import io.ttsmesh.proto.verifier.DescribeRequest;
import io.ttsmesh.proto.verifier.ScoreRequest;
import io.ttsmesh.proto.verifier.ScoreResponse;
import io.ttsmesh.proto.verifier.VerifierCatalog;
import io.ttsmesh.proto.verifier.VerifierGrpc;
import io.ttsmesh.proto.verifier.VerifierInfo;

import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.Task;
import io.ttsmesh.task.TaskRegistry;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A verifier pod for tests, over real gRPC on loopback, that checks the scripted arithmetic exactly:
 * a step "a+b=s" or "A: s" scores 0.9 when s is the question's sum, 0.1 when not. A request of another task
 * (ScoreRequest.task) is scored by that task's rule checker (0.9 valid, 0.1 not), found through the
 * TaskRegistry as the real verifier does. It can be told to fail its next calls with a status, to test
 * retries and failover, and remembers the task of every call.
 */
public final class ScriptedVerifier implements AutoCloseable {

    private static final Pattern ANSWER = Pattern.compile("(?:=|A:)\\s*(-?\\d+)\\s*$");

    private final Server server;
    private final String instance;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger candidatesScored = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final List<String> tasks = new CopyOnWriteArrayList<>();
    private volatile Status failWith = Status.UNAVAILABLE;

    public ScriptedVerifier(String instance) throws IOException {
        this.instance = instance;
        this.server = ServerBuilder.forPort(0).addService(new Service()).build().start();
    }

    public String address() {
        return "localhost:" + server.getPort();
    }

    /** The next {@code n} calls fail with {@code status}. */
    public void failNext(int n, Status status) {
        failWith = status;
        failuresLeft.set(n);
    }

    public int calls() {
        return calls.get();
    }

    /** Calls answered with scores, counted once the answer is out (calls() counts them on arrival). */
    public int answered() {
        return answered.get();
    }

    public int candidatesScored() {
        return candidatesScored.get();
    }

    /** ScoreRequest.task of every call, in order. */
    public List<String> tasks() {
        return tasks;
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private final class Service extends VerifierGrpc.VerifierImplBase {

        @Override
        public void scoreSteps(ScoreRequest request, StreamObserver<ScoreResponse> response) {
            calls.incrementAndGet();
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                response.onError(failWith.withDescription("told to fail").asRuntimeException());
                return;
            }
            tasks.add(request.getTask());
            if (!request.getTask().isEmpty() && !request.getTask().equals(TaskRegistry.DEFAULT)) {
                byRules(request, response);
                return;
            }
            Matcher q = ScriptedGenerator.SUM.matcher(request.getQuestion());
            if (!q.find()) {
                response.onError(Status.INVALID_ARGUMENT.withDescription("question: no a+b").asRuntimeException());
                return;
            }
            int sum = Integer.parseInt(q.group(1)) + Integer.parseInt(q.group(2));
            var answer = ScoreResponse.newBuilder().setRequestId(request.getRequestId());
            for (var candidate : request.getCandidatesList()) {
                candidatesScored.incrementAndGet();
                var scores = CandidateScores.newBuilder().setId(candidate.getId());
                if (candidate.getStepsCount() == 0) {
                    answer.addResults(scores.setErrorCode(3).setErrorMessage("candidates.steps: empty"));
                    continue;
                }
                int from = candidate.getLastStepOnly() ? candidate.getStepsCount() - 1 : 0;
                for (int i = from; i < candidate.getStepsCount(); i++) {
                    Matcher m = ANSWER.matcher(candidate.getSteps(i).trim());
                    scores.addStepScores(!m.find() ? 0.5f : Integer.parseInt(m.group(1)) == sum ? 0.9f : 0.1f);
                }
                answer.addResults(scores);
            }
            response.onNext(answer.build());
            response.onCompleted();
            answered.incrementAndGet();
        }

        private void byRules(ScoreRequest request, StreamObserver<ScoreResponse> response) {
            Task task;
            String question;
            try {
                // Looked up per call, not in a static field: a ServiceLoader run while Quarkus starts the test
                // resources made later test apps see another class loader's gRPC classes.
                task = TaskRegistry.load().get(request.getTask());
                question = task.canonicalQuestion(request.getQuestion());
            } catch (InvalidQuestion e) {
                response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
                return;
            }
            var answer = ScoreResponse.newBuilder().setRequestId(request.getRequestId());
            for (var candidate : request.getCandidatesList()) {
                candidatesScored.incrementAndGet();
                List<Boolean> labels = task.rules().orElseThrow().labels(question, candidate.getStepsList());
                var scores = CandidateScores.newBuilder().setId(candidate.getId());
                for (int i = candidate.getLastStepOnly() ? labels.size() - 1 : 0; i < labels.size(); i++) {
                    scores.addStepScores(labels.get(i) ? 0.9f : 0.1f);
                }
                answer.addResults(scores);
            }
            response.onNext(answer.build());
            response.onCompleted();
        }

        @Override
        public void describe(DescribeRequest request, StreamObserver<VerifierCatalog> response) {
            response.onNext(VerifierCatalog.newBuilder().setInstance(instance)
                    .addVerifiers(VerifierInfo.newBuilder().setName("prm").setMaxCandidates(64)).build());
            response.onCompleted();
        }
    }
}
