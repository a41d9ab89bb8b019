package io.ttsmesh.bench.generator;

/**
 * One run of one decode path at one batch size: the time to the first completed step, and the generated
 * tokens, wall seconds and CPU seconds (of the process doing the decoding) of the fixed-length decode that
 * follows. On a shared machine the CPU figure is the steadier one: it does not count time spent waiting for
 * a core.
 */
record Measurement(double ttfsMillis, long tokens, double seconds, double cpuSeconds) {

    double tokensPerSecond() {
        return tokens / seconds;
    }

    double tokensPerCpuSecond() {
        return tokens / cpuSeconds;
    }

    /** CPU time used so far by a process (10 ms resolution on Linux), in seconds. */
    static double cpuSeconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }
}
