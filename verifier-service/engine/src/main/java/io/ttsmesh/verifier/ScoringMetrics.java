package io.ttsmesh.verifier;

import java.time.Duration;

/**
 * What the engine reports as it works; the service maps it to Micrometer, tests and benchmarks may
 * count it. Called from scoring threads: implementations must be thread-safe and cheap.
 */
public interface ScoringMetrics {

    ScoringMetrics NONE = new ScoringMetrics() {
    };

    /** How a candidate's prefix was found in the prefix cache. */
    enum CacheOutcome {
        /** every step was scored before: no model run */
        FULL,
        /** the KV past of an earlier step boundary was reused: only the newer steps ran */
        PREFIX,
        /** nothing reusable: the whole candidate ran */
        MISS
    }

    /** Candidates answered with scores by {@code verifier}. */
    default void scored(String verifier, int candidates) {
    }

    /** A candidate answered with an error instead of scores. */
    default void rejected(String verifier, StatusCode code) {
    }

    /** One model run: rows, tokens computed including padding, real tokens, time in the model. */
    default void batch(int rows, long paddedTokens, long realTokens, Duration runTime) {
    }

    /** Time a candidate waited in the queue before its batch started. */
    default void queueWait(Duration wait) {
    }

    /**
     * A stack spared a member work: a step an earlier member scored 0 scores 0 whatever the member says.
     *
     * @param member     the member not asked ("prm" for PRM work saved)
     * @param candidates candidates the member was not asked about at all (for the PRM: calls saved)
     * @param scores     step scores not asked of it, those of the spared candidates included
     */
    default void stackSkipped(String member, int candidates, int scores) {
    }

    /** A prefix cache lookup for a candidate that needs the model; {@code reusedTokens} were not recomputed. */
    default void cache(CacheOutcome outcome, int reusedTokens) {
    }
}
