package io.ttsmesh.orchestrator.pods;

import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.faulttolerance.api.Guard;
import io.ttsmesh.proto.TopLogprob;
import io.ttsmesh.proto.verifier.ScoreRequest;
import io.ttsmesh.proto.verifier.ScoreResponse;
import io.ttsmesh.proto.verifier.StepLogprobs;
import io.ttsmesh.proto.verifier.VerifierGrpc;
import io.ttsmesh.search.generation.TokenLogprob;
import io.ttsmesh.search.scoring.Candidate;
import io.ttsmesh.search.scoring.CandidateScores;
import io.ttsmesh.search.scoring.ScoringException;
import io.ttsmesh.search.scoring.StepScorer;
import io.ttsmesh.search.status.StatusCode;
import jakarta.enterprise.util.TypeLiteral;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link StepScorer} over the verifier pods, one request in turn over the pods, each sent on the pod's
 * long-lived ScoreStream shared by all searches ({@link ScoreStream}; unary ScoreSteps with pods that do not
 * offer it).
 * SmallRye Fault Tolerance does the recovery: a failed attempt (UNAVAILABLE, RESOURCE_EXHAUSTED, ABORTED, a
 * pod lost mid-call as {@link PodLoss} tells it, or the per-call timeout) is retried with exponential backoff,
 * each retry on the next pod; each pod has a circuit breaker that keeps a failing pod out of the turn for a
 * while. Every attempt is bounded by the search's deadline, and no retry starts after it.
 */
public final class GrpcStepScorer implements StepScorer {

    private static final Set<Status.Code> RETRYABLE = Set.of(Status.Code.UNAVAILABLE, Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.ABORTED, Status.Code.DEADLINE_EXCEEDED);
    private static final TypeLiteral<List<CandidateScores>> RESULT = new TypeLiteral<>() {
    };

    private final EndpointGroup verifiers;
    private final String task;
    private final Duration callTimeout;
    private final Guard retry;
    private final Map<Endpoint, Guard> breakers = new ConcurrentHashMap<>();
    private final Map<Endpoint, ScoreStream> streams = new ConcurrentHashMap<>();
    private final int breakerWindow;
    private final double breakerFailureRatio;
    private final Duration breakerDelay;

    /** An attempt failed in a way another attempt (on another pod) may cure. */
    static final class RetryableFailure extends RuntimeException {
        final Status.Code code;

        RetryableFailure(Status.Code code, String message, Throwable cause) {
            super(message, cause, false, false);
            this.code = code;
        }
    }

    /** For the default task (ScoreRequest.task left empty). */
    public GrpcStepScorer(EndpointGroup verifiers, Duration callTimeout, int retries, Duration retryDelay,
                          int breakerWindow, double breakerFailureRatio, Duration breakerDelay) {
        this(verifiers, "", callTimeout, retries, retryDelay, breakerWindow, breakerFailureRatio, breakerDelay);
    }

    /** @param task put into every ScoreRequest: the verifier checks the question and picks its rules by it */
    public GrpcStepScorer(EndpointGroup verifiers, String task, Duration callTimeout, int retries, Duration retryDelay,
                          int breakerWindow, double breakerFailureRatio, Duration breakerDelay) {
        this.verifiers = verifiers;
        this.task = task == null ? "" : task;
        this.callTimeout = callTimeout;
        this.breakerWindow = breakerWindow;
        this.breakerFailureRatio = breakerFailureRatio;
        this.breakerDelay = breakerDelay;
        this.retry = Guard.create()
                .withDescription("verifier ScoreSteps")
                .withRetry()
                .maxRetries(retries)
                .delay(retryDelay.toMillis(), ChronoUnit.MILLIS)
                .retryOn(List.of(RetryableFailure.class, CircuitBreakerOpenException.class))
                .withExponentialBackoff().factor(2).maxDelay(Math.max(retryDelay.toMillis() * 16, 1), ChronoUnit.MILLIS).done()
                .done()
                .build();
    }

    @Override
    public List<CandidateScores> score(String requestId, String verifier, String question, List<Candidate> candidates,
                                       Instant deadline) {
        return score(request(requestId, task, verifier, question, candidates), candidates, deadline);
    }

    /** Marked as sent ahead (ScoreRequest.ahead), so the verifier counts it apart from the calls a search waits for. */
    @Override
    public List<CandidateScores> scoreAhead(String requestId, String verifier, String question,
                                            List<Candidate> candidates, Instant deadline) {
        return score(request(requestId, task, verifier, question, candidates).toBuilder().setAhead(true).build(),
                candidates, deadline);
    }

    private List<CandidateScores> score(ScoreRequest request, List<Candidate> candidates, Instant deadline) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        try {
            // Each retry goes to a pod this call has not tried yet (while there is one).
            Set<Endpoint> tried = ConcurrentHashMap.newKeySet();
            return retry.call(() -> attempt(request, candidates, deadline, tried), RESULT);
        } catch (RetryableFailure e) {
            throw new ScoringException(StatusCode.named(e.code.name()), e.getMessage(), e.getCause());
        } catch (CircuitBreakerOpenException e) {
            throw new ScoringException(StatusCode.UNAVAILABLE, "every verifier is failing (circuit open)", e);
        } catch (ScoringException e) {
            throw e;
        } catch (Exception e) {
            throw new ScoringException(StatusCode.INTERNAL, String.valueOf(e.getMessage()), e);
        }
    }

    private List<CandidateScores> attempt(ScoreRequest request, List<Candidate> candidates, Instant deadline,
                                          Set<Endpoint> tried) throws Exception {
        if (Thread.currentThread().isInterrupted()) {
            throw new ScoringException(StatusCode.CANCELLED, "search cancelled");
        }
        long remaining = Duration.between(Instant.now(), deadline).toMillis();
        if (remaining <= 0) {
            throw new ScoringException(StatusCode.DEADLINE_EXCEEDED, "the search's deadline passed before the verifier answered");
        }
        Endpoint endpoint = verifiers.next(tried);
        if (endpoint == null) {
            throw new ScoringException(StatusCode.UNAVAILABLE, "no verifier configured");
        }
        tried.add(endpoint);
        return breaker(endpoint).call(() -> call(endpoint, request, candidates, deadline, remaining), RESULT);
    }

    private List<CandidateScores> call(Endpoint endpoint, ScoreRequest request, List<Candidate> candidates,
                                       Instant deadline, long remainingMillis) {
        long timeout = Math.min(remainingMillis, callTimeout.toMillis());
        endpoint.acquire();
        try {
            ScoreStream stream = streams.computeIfAbsent(endpoint, ScoreStream::new);
            ScoreResponse response = stream.supported() ? streamed(stream, request, timeout) : null;
            if (response == null) {
                response = VerifierGrpc.newBlockingStub(endpoint.channel())
                        .withDeadline(Deadline.after(timeout, TimeUnit.MILLISECONDS))
                        .scoreSteps(request);
            }
            if (response.getResultsCount() != candidates.size()) {
                throw new ScoringException(StatusCode.INTERNAL, "verifier " + endpoint.instance() + " answered "
                        + response.getResultsCount() + " results for " + candidates.size() + " candidates");
            }
            List<CandidateScores> scores = new ArrayList<>(candidates.size());
            for (var result : response.getResultsList()) {
                float[] steps = new float[result.getStepScoresCount()];
                for (int i = 0; i < steps.length; i++) {
                    steps[i] = result.getStepScores(i);
                }
                scores.add(result.getErrorCode() == 0
                        ? new CandidateScores(result.getId(), steps, null, null)
                        : new CandidateScores(result.getId(), steps,
                        Status.fromCodeValue(result.getErrorCode()).getCode().name(), result.getErrorMessage()));
            }
            return scores;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.CANCELLED && Thread.currentThread().isInterrupted()) {
                throw new ScoringException(StatusCode.CANCELLED, "search cancelled", e);
            }
            // A unary call cut by a pod shutting down or killed ends as the stream does (CANCELLED, UNKNOWN
            // "channel closed"): a lost pod, retried on the next one.
            Status status = PodLoss.asUnavailable(e.getStatus(), false, "verifier " + endpoint.instance());
            Status.Code code = status.getCode();
            String message = "verifier " + endpoint.instance() + ": " + status.getDescription();
            boolean timeLeft = Instant.now().isBefore(deadline);
            if (RETRYABLE.contains(code) && timeLeft) {
                throw new RetryableFailure(code, message, e);
            }
            throw new ScoringException(StatusCode.named(code.name()), message, e);
        } finally {
            endpoint.release();
        }
    }

    /**
     * The answer over the pod's ScoreStream, or null when the pod does not offer it. A request the pod refused
     * as a whole, or the stream ending, throws the status a unary call would have ended with.
     */
    private static ScoreResponse streamed(ScoreStream stream, ScoreRequest request, long timeoutMillis) {
        ScoreStream.Call call = stream.send(request.toBuilder().setTimeoutMs((int) Math.min(Integer.MAX_VALUE, timeoutMillis)));
        try {
            ScoreResponse response = call.answer().get(timeoutMillis, TimeUnit.MILLISECONDS);
            if (response.getErrorCode() != 0) {
                throw Status.fromCodeValue(response.getErrorCode()).withDescription(response.getErrorMessage()).asRuntimeException();
            }
            return response;
        } catch (java.util.concurrent.TimeoutException e) {
            throw Status.DEADLINE_EXCEEDED.withDescription("no answer within " + timeoutMillis + " ms").asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScoringException(StatusCode.CANCELLED, "search cancelled");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException failure) {
                if (failure.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                    return null; // an older verifier: unary ScoreSteps from now on
                }
                throw failure;
            }
            throw Status.INTERNAL.withDescription(String.valueOf(e.getCause())).withCause(e.getCause()).asRuntimeException();
        } finally {
            stream.forget(call);
        }
    }

    private Guard breaker(Endpoint endpoint) {
        return breakers.computeIfAbsent(endpoint, e -> Guard.create()
                .withDescription("verifier " + e.address())
                .withCircuitBreaker()
                .requestVolumeThreshold(breakerWindow)
                .failureRatio(breakerFailureRatio)
                .delay(breakerDelay.toMillis(), ChronoUnit.MILLIS)
                .when(t -> t instanceof RetryableFailure)
                .onStateChange(e::breakerChanged)
                .done()
                .build());
    }

    private static ScoreRequest request(String requestId, String task, String verifier, String question,
                                        List<Candidate> candidates) {
        var request = ScoreRequest.newBuilder()
                .setRequestId(requestId)
                .setTask(task)
                .setVerifier(verifier == null ? "" : verifier)
                .setQuestion(question);
        for (Candidate c : candidates) {
            var candidate = io.ttsmesh.proto.verifier.Candidate.newBuilder()
                    .setId(c.id())
                    .addAllSteps(c.steps())
                    .setLastStepOnly(c.lastStepOnly());
            for (List<TokenLogprob> step : c.logprobs()) {
                var tokens = StepLogprobs.newBuilder();
                for (TokenLogprob t : step) {
                    var token = io.ttsmesh.proto.TokenLogprob.newBuilder()
                            .setTokenId(t.tokenId()).setToken(t.token()).setLogprob(t.logprob());
                    for (TokenLogprob.Alternative alt : t.top()) {
                        token.addTop(TopLogprob.newBuilder().setTokenId(alt.tokenId()).setToken(alt.token()).setLogprob(alt.logprob()));
                    }
                    tokens.addTokens(token);
                }
                candidate.addLogprobs(tokens);
            }
            request.addCandidates(candidate);
        }
        return request.build();
    }
}
