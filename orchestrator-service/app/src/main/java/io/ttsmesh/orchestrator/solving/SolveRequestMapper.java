package io.ttsmesh.orchestrator.solving;

import io.ttsmesh.orchestrator.events.EventMessages;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;

import java.time.Duration;

/**
 * Maps a SolveRequest onto a {@link SearchRequest}, field by field, and checks nothing: the search runner's one
 * validation (with this pod's limits) refuses what is wrong, naming the field. An unset message field maps to null
 * (the validation says it is required); an unsigned number a Java field cannot hold maps to the largest value, which
 * that validation refuses as too large.
 */
public final class SolveRequestMapper {

    /** @throws InvalidRequest for an aggregation name that is none (the only field a SearchRequest types) */
    public SearchRequest map(SolveRequest r) {
        Aggregation aggregation;
        try {
            aggregation = r.getAggregation().isBlank() ? null : Aggregation.parse(r.getAggregation());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("aggregation", e.getMessage());
        }
        return new SearchRequest(r.getRequestId(), r.getQuestion(),
                r.hasStrategy() ? MethodSpec.of(r.getStrategy().getName().trim(), r.getStrategy().getParamsMap()) : null,
                EventMessages.specs(r.getPoliciesList()),
                r.hasBudget() ? budget(r.getBudget()) : null,
                sampling(r), r.getVerifier(), aggregation, r.getTask(),
                r.hasAllowDegraded() ? r.getAllowDegraded() : null);
    }

    private static Budget budget(io.ttsmesh.proto.events.Budget b) {
        long maxTokens = b.getMaxTokens() < 0 ? Long.MAX_VALUE : b.getMaxTokens(); // uint64 beyond a long
        return new Budget(maxTokens, unsigned(b.getMaxVerifierCalls()), Duration.ofMillis(Integer.toUnsignedLong(b.getDeadlineMs())));
    }

    private static SamplingParams sampling(SolveRequest r) {
        if (!r.hasSampling()) {
            return SamplingParams.defaults();
        }
        var s = r.getSampling();
        return new SamplingParams(s.hasTemperature() ? s.getTemperature() : null, s.hasTopP() ? s.getTopP() : null,
                s.hasTopK() ? unsigned(s.getTopK()) : null, s.hasSeed() ? s.getSeed() : null, 0);
    }

    /** A uint32 as an int: values beyond an int's range become its largest value. */
    private static int unsigned(int value) {
        return value < 0 ? Integer.MAX_VALUE : value;
    }
}
