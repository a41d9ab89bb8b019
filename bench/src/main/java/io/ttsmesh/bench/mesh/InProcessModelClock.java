package io.ttsmesh.bench.mesh;

import io.ttsmesh.generator.engine.EngineObserver;
import io.ttsmesh.verifier.ScoringMetrics;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The in-process engines' model time, summed from the same hooks the services time theirs with (the generator's
 * decode steps, the verifier's model runs), so that {@link ServiceTime} compares like with like.
 */
final class InProcessModelClock implements EngineObserver, ScoringMetrics {

    private final LongAdder decodeNanos = new LongAdder();
    private final LongAdder decodeSteps = new LongAdder();
    private final LongAdder decodeRows = new LongAdder();
    private final LongAdder generatedTokens = new LongAdder();
    private final LongAdder verifierNanos = new LongAdder();

    @Override
    public void decodeStep(int rows, long nanos) {
        decodeNanos.add(nanos);
        decodeSteps.increment();
        decodeRows.add(rows);
    }

    @Override
    public void generated(int tokens) {
        generatedTokens.add(tokens);
    }

    @Override
    public void batch(int rows, long paddedTokens, long realTokens, Duration runTime) {
        verifierNanos.add(runTime.toNanos());
    }

    /** Model time so far (no orchestrator in-process: its search time is NaN). */
    ServiceTime read() {
        return new ServiceTime(decodeNanos.sum() / 1e6, verifierNanos.sum() / 1e6, Double.NaN, Double.NaN);
    }

    /** The generator's counters so far, as the service exposes them. */
    GeneratorCounters generatorCounters() {
        return new GeneratorCounters(decodeRows.sum(), decodeSteps.sum(), generatedTokens.sum(), decodeNanos.sum() / 1e6);
    }
}
