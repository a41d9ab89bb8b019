package io.ttsmesh.orchestrator.api;

import io.ttsmesh.proto.events.Budget;
import io.ttsmesh.proto.events.Method;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.SolveRequest;

/** Requests the scripted mesh can answer ("a+b"; odd branches get it wrong, the verifier knows). */
public final class SolveRequests {

    private SolveRequests() {
    }

    public static SolveRequest bestOfN(String id, String question, int n) {
        return SolveRequest.newBuilder()
                .setRequestId(id)
                .setQuestion(question)
                .setStrategy(Method.newBuilder().setName("best_of_n").putParams("n", Integer.toString(n)))
                .setBudget(Budget.newBuilder().setMaxTokens(5000).setMaxVerifierCalls(200).setDeadlineMs(20_000))
                .setDetail(Detail.STEPS)
                .build();
    }

    public static String bestOfNJson(String id, String question, int n) {
        return ProtoJson.print(bestOfN(id, question, n));
    }
}
