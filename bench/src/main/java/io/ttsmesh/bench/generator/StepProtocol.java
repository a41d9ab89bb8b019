package io.ttsmesh.bench.generator;

import io.ttsmesh.generator.engine.Command;
import io.ttsmesh.generator.engine.Event;
import io.ttsmesh.generator.engine.Sampling;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.LongStream;

/**
 * The workload as session commands, for the paths that go through the engine (library and gRPC): Start,
 * Extend to the next step (first Step answered = time to first step), Extend to the end with EOS
 * suppressed (throughput), Close.
 */
final class StepProtocol {

    /** Sends one command and waits for {@code answers} events answering it; returns the arrival time of the first. */
    interface Channel {
        long call(Command command, int answers, Consumer<Event> each) throws Exception;
    }

    private StepProtocol() {
    }

    /** {@code decoder}: the process that decodes (its CPU time is measured). */
    static Measurement run(Channel channel, DecodePath.Workload w, int branches, ProcessHandle decoder) throws Exception {
        List<Long> ids = LongStream.range(0, branches).boxed().toList();
        long started = System.nanoTime();
        channel.call(new Command.Start(1, w.prompt(), ids, new Sampling(w.temperature(), 1f, 0, w.seed(), 0), List.of(),
                null), 1, StepProtocol::expectOk);
        long firstStep = channel.call(new Command.Extend(2, ids, w.firstStepMax(), false, true, null, null, List.of(),
                false), branches, StepProtocol::expectOk);
        long[] tokens = {0};
        double cpuStarted = Measurement.cpuSeconds(decoder);
        long decodeStarted = System.nanoTime();
        channel.call(new Command.Extend(3, ids, w.tokens(), true, true, null, null, List.of(), false), branches,
                e -> tokens[0] += ((Event.Step) expectOk(e)).tokenIds().length);
        double seconds = (System.nanoTime() - decodeStarted) / 1e9;
        double cpu = Measurement.cpuSeconds(decoder) - cpuStarted;
        channel.call(new Command.Close(4), 1, StepProtocol::expectOk);
        return new Measurement((firstStep - started) / 1e6, tokens[0], seconds, cpu);
    }

    private static Event expectOk(Event event) {
        if (event instanceof Event.Failed failed) {
            throw new IllegalStateException("the generator refused the benchmark's command: " + failed);
        }
        return event;
    }
}
