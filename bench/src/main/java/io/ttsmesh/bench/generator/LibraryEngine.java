package io.ttsmesh.bench.generator;

import io.ttsmesh.generator.engine.EngineSession;
import io.ttsmesh.generator.engine.EngineSettings;
import io.ttsmesh.generator.engine.Event;
import io.ttsmesh.generator.engine.GeneratorEngine;

import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The engine in the benchmark's own JVM (library mode): the service's work without gRPC. */
final class LibraryEngine implements DecodePath {

    private final GeneratorEngine engine;
    private int sessions;

    LibraryEngine(Path modelDir, int threads) {
        this.engine = GeneratorEngine.start(EngineSettings.forModel(modelDir).intraOpThreads(threads).build());
    }

    @Override
    public String name() {
        return "engine in-process (library mode)";
    }

    @Override
    public Measurement run(Workload workload, int branches) throws Exception {
        LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        EngineSession session = engine.openSession("bench-" + (++sessions), events::add);
        return StepProtocol.run((command, answers, each) -> {
            session.submit(command);
            long first = 0;
            for (int i = 0; i < answers; i++) {
                Event e = events.poll(10, TimeUnit.MINUTES);
                if (e == null) {
                    throw new IllegalStateException("no answer to " + command);
                }
                if (i == 0) {
                    first = System.nanoTime();
                }
                each.accept(e);
            }
            return first;
        }, workload, branches, ProcessHandle.current());
    }

    @Override
    public void close() {
        engine.close();
    }
}
