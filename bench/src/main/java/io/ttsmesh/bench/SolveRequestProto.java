package io.ttsmesh.bench;

import io.ttsmesh.proto.events.Budget;
import io.ttsmesh.proto.events.Method;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.SamplingOptions;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.generation.SamplingParams;

/**
 * A search request as the orchestrator's gRPC {@code Solve} takes it, so that a search run through the mesh is the
 * very one the in-process runner would run (the evaluator's mesh backend and the mesh benchmarks both send these).
 */
public final class SolveRequestProto {

    private SolveRequestProto() {
    }

    public static SolveRequest of(SearchRequest request, Detail detail) {
        SolveRequest.Builder req = SolveRequest.newBuilder()
                .setRequestId(request.requestId())
                .setQuestion(request.question())
                .setStrategy(method(request.strategy()))
                .setBudget(Budget.newBuilder().setMaxTokens(request.budget().maxTokens())
                        .setMaxVerifierCalls(request.budget().maxVerifierCalls())
                        .setDeadlineMs((int) Math.min(Integer.MAX_VALUE, request.budget().deadline().toMillis())))
                .setSampling(sampling(request.sampling()))
                .setDetail(detail);
        request.policies().forEach(p -> req.addPolicies(method(p)));
        if (request.verifier() != null) {
            req.setVerifier(request.verifier());
        }
        if (request.aggregation() != null) {
            req.setAggregation(request.aggregation().wireName());
        }
        return req.build();
    }

    private static Method method(MethodSpec spec) {
        return Method.newBuilder().setName(spec.name()).putAllParams(spec.params()).build();
    }

    private static SamplingOptions sampling(SamplingParams s) {
        SamplingOptions.Builder b = SamplingOptions.newBuilder();
        if (s == null) {
            return b.build();
        }
        if (s.temperature() != null) {
            b.setTemperature(s.temperature());
        }
        if (s.topP() != null) {
            b.setTopP(s.topP());
        }
        if (s.topK() != null) {
            b.setTopK(s.topK());
        }
        if (s.seed() != null) {
            b.setSeed(s.seed());
        }
        return b.build();
    }
}
