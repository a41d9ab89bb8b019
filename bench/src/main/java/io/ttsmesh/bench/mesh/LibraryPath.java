package io.ttsmesh.bench.mesh;

import io.ttsmesh.generator.engine.EngineSettings;
import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.mesh.inprocess.InProcessGenerationSessions;
import io.ttsmesh.mesh.inprocess.InProcessStepScorer;
import io.ttsmesh.search.run.SearchCatalog;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.run.SearchRunner;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.verifier.Limits;
import io.ttsmesh.verifier.VerifierEngine;
import io.ttsmesh.verifier.batching.BatchSettings;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Library mode: the search module's {@link SearchRunner} over the generator and verifier engines in this JVM
 * (io.ttsmesh.mesh.inprocess), configured as the services configure them by default, so that the only
 * difference to the mesh is the processes and the gRPC between them.
 */
final class LibraryPath implements SearchPath {

    /**
     * The verifier service's defaults (verifier-service application.properties: batch max-size 32, max-wait 2ms,
     * queue 4096, 1 worker, max-padding 0.5, max-tokens 512; cache 256M); the engine's own defaults differ in
     * max-tokens, which changes how batches are cut.
     */
    private static final BatchSettings SERVICE_BATCHING = new BatchSettings(32, Duration.ofMillis(2), 4096, 1, 0.5, 512);
    private static final long SERVICE_CACHE_BYTES = 256L << 20;

    private final InProcessModelClock modelClock = new InProcessModelClock();
    private final GeneratorEngine generator;
    private final VerifierEngine verifier;
    private final SearchRunner runner;

    /**
     * @param threads    ONNX Runtime intra-op threads of each engine
     * @param scoreAhead the searches' {@link SearchSettings#scoreAhead()}, as the orchestrator is configured
     */
    LibraryPath(Path models, int threads, boolean scoreAhead) {
        this.generator = GeneratorEngine.start(EngineSettings.forModel(models.resolve("generator"))
                .intraOpThreads(threads).instance("bench-library").build(), modelClock);
        try {
            this.verifier = VerifierEngine.builder().modelDir(models.resolve("prm")).intraOpThreads(threads)
                    .batch(SERVICE_BATCHING).cacheBytes(SERVICE_CACHE_BYTES).limits(Limits.DEFAULTS).metrics(modelClock).build();
        } catch (RuntimeException e) {
            generator.close();
            throw e;
        }
        this.runner = new SearchRunner(new InProcessGenerationSessions(generator), new InProcessStepScorer(verifier),
                SearchSettings.defaults().toBuilder().scoreAhead(scoreAhead).build());
    }

    @Override
    public String name() {
        return "in-process";
    }

    SearchCatalog catalog() {
        return runner.catalog();
    }

    /** The engines' model time so far (a search's is the difference around it, while it runs alone). */
    ServiceTime modelTime() {
        return modelClock.read();
    }

    /** The engine's decode steps, their rows and time so far. */
    GeneratorCounters generatorCounters() {
        return modelClock.generatorCounters();
    }

    @Override
    public SearchOutcome solve(SearchRequest request) {
        long start = System.nanoTime();
        var result = runner.run(request, null);
        return SearchOutcome.of(result, System.nanoTime() - start);
    }

    @Override
    public void close() {
        try {
            verifier.close();
        } finally {
            generator.close();
        }
    }
}
