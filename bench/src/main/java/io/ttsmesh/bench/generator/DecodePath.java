package io.ttsmesh.bench.generator;

/**
 * A way of decoding the benchmark's workload: N branches of one prompt, first until every branch has
 * completed its first step (the time to the first completed step is measured), then exactly M more
 * tokens each with EOS suppressed (the throughput is measured). Sampling at the model's temperature.
 */
interface DecodePath extends AutoCloseable {

    String name();

    Measurement run(Workload workload, int branches) throws Exception;

    @Override
    default void close() throws Exception {
    }

    /** What every path decodes. */
    record Workload(String prompt, int[] promptTokens, int tokens, int firstStepMax, int delimiterToken, int[] eosTokens,
                    float temperature, long seed) {
    }
}
