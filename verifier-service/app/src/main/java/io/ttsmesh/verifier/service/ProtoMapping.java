package io.ttsmesh.verifier.service;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ttsmesh.proto.TokenLogprob;
import io.ttsmesh.proto.TopLogprob;
import io.ttsmesh.proto.verifier.Candidate;
import io.ttsmesh.proto.verifier.CandidateScores;
import io.ttsmesh.proto.verifier.ScoreRequest;
import io.ttsmesh.proto.verifier.ScoreResponse;
import io.ttsmesh.proto.verifier.StepLogprobs;
import io.ttsmesh.proto.verifier.VerifierInfo;
import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.verifier.ScoringRequest;
import io.ttsmesh.verifier.VerifierException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/** Between the verifier.proto messages and the engine's records. */
final class ProtoMapping {

    private ProtoMapping() {
    }

    static ScoringRequest request(ScoreRequest r) {
        List<CandidateInput> candidates = new ArrayList<>(r.getCandidatesCount());
        for (Candidate c : r.getCandidatesList()) {
            candidates.add(new CandidateInput(c.getId(), c.getStepsList(), c.getLastStepOnly(), logprobs(c)));
        }
        return new ScoringRequest(r.getRequestId(), r.getVerifier(), r.getQuestion(), candidates, r.getTask());
    }

    private static List<List<io.ttsmesh.verifier.TokenLogprob>> logprobs(Candidate c) {
        List<List<io.ttsmesh.verifier.TokenLogprob>> steps = new ArrayList<>(c.getLogprobsCount());
        for (StepLogprobs step : c.getLogprobsList()) {
            List<io.ttsmesh.verifier.TokenLogprob> tokens = new ArrayList<>(step.getTokensCount());
            for (TokenLogprob t : step.getTokensList()) {
                float[] top = new float[t.getTopCount()];
                for (int i = 0; i < top.length; i++) {
                    TopLogprob alt = t.getTop(i);
                    top[i] = alt.getLogprob();
                }
                tokens.add(new io.ttsmesh.verifier.TokenLogprob(t.getLogprob(), top));
            }
            steps.add(tokens);
        }
        return steps;
    }

    static ScoreResponse response(String requestId, List<CandidateResult> results) {
        ScoreResponse.Builder out = ScoreResponse.newBuilder().setRequestId(requestId);
        for (CandidateResult r : results) {
            CandidateScores.Builder c = out.addResultsBuilder().setId(r.id());
            if (r.ok()) {
                for (float s : r.scores()) {
                    c.addStepScores(s);
                }
            } else {
                c.setErrorCode(r.code().value()).setErrorMessage(r.error());
            }
        }
        return out.build();
    }

    static VerifierInfo info(io.ttsmesh.verifier.VerifierInfo i) {
        return VerifierInfo.newBuilder().setName(i.name()).setDescription(i.description()).setModel(i.model())
                .setContextLength(i.contextLength()).setMaxCandidates(i.maxCandidates()).setMaxSteps(i.maxSteps())
                .addAllTasks(i.tasks()).addAllMembers(i.members()).build();
    }

    /** A ScoreStream answer for a request refused as a whole: the status ScoreSteps would have ended with. */
    static ScoreResponse refusal(ScoreRequest request, Throwable failure) {
        Status status = status(failure).getStatus();
        return ScoreResponse.newBuilder().setRequestId(request.getRequestId()).setCallId(request.getCallId())
                .setErrorCode(status.getCode().value())
                .setErrorMessage(status.getDescription() == null ? status.getCode().name() : status.getDescription())
                .build();
    }

    /** The gRPC status for a failure: the engine's own code and message, INTERNAL for anything else. */
    static StatusRuntimeException status(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof StatusRuntimeException s) {
            return s;
        }
        if (cause instanceof VerifierException v) {
            return Status.fromCodeValue(v.code().value()).withDescription(v.getMessage()).asRuntimeException();
        }
        return Status.INTERNAL.withDescription("scoring failed: " + cause).withCause(cause).asRuntimeException();
    }
}
