package io.ttsmesh.search.sim;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Requests for tests. */
public final class Requests {

    /** Questions of the test bed's kind, 2 to 5 operations. */
    public static final List<String> QUESTIONS = List.of(
            "(17+25)*3-14", "12*4+7-9", "(8+5)*(6-2)", "99-45+3*7", "(61-19)*2+5*3", "7*8-(23+11)",
            "(4+9)*5-(12-3)*2", "88-(14+25)*2", "3*(45-17)+6", "(52+13)-4*9+2");

    private Requests() {
    }

    public static Budget generous() {
        return new Budget(100_000, 10_000, Duration.ofMinutes(1));
    }

    public static SearchRequest of(String question, String strategy, Map<String, String> params, Budget budget,
                                   MethodSpec... policies) {
        return of(question, strategy, params, budget, 42L, policies);
    }

    public static SearchRequest of(String question, String strategy, Map<String, String> params, Budget budget,
                                   long seed, MethodSpec... policies) {
        return new SearchRequest("req-" + Math.abs(question.hashCode()) + "-" + seed, question,
                MethodSpec.of(strategy, params), List.of(policies), budget,
                new SamplingParams(null, null, null, seed, 0), "prm", Aggregation.LAST);
    }
}
