package io.ttsmesh.bench.generator;

/**
 * One run of one decode path at one batch size: the time to the first completed step, and the generated
 * tokens and seconds of the fixed-length decode that follows.
 */
record Measurement(double ttfsMillis, long tokens, double seconds) {

    double tokensPerSecond() {
        return tokens / seconds;
    }
}
