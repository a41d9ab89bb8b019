package io.ttsmesh.bench.eval.execution;

import io.ttsmesh.generator.engine.EngineSettings;
import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.mesh.inprocess.InProcessGenerationSessions;
import io.ttsmesh.mesh.inprocess.InProcessStepScorer;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.search.SearchSettings;
import io.ttsmesh.verifier.VerifierEngine;

import java.nio.file.Path;

/**
 * The evaluation's in-process backend: the generator and verifier engines of a models folder in this JVM
 * behind the search ports (library mode), with the test bed's search settings.
 */
public final class InProcessEngines {

    /**
     * Live branches the generator admits. An evaluation keeps up to --concurrency searches in flight, and one MCTS
     * search at 32 iterations of k = 4 holds up to 100 leaves; branches share their prompt and history segments, so
     * the KV bound (1 GiB, the engine's default) is what actually limits memory.
     */
    static final int MAX_LIVE_BRANCHES = 16_384;

    private InProcessEngines() {
    }

    /** @param models a folder with generator/ and prm/ (null: the bundled test-bed models) */
    public static SearchBackend backend(Path models) {
        Path root = models != null ? models : BundledModels.root();
        GeneratorEngine generator = GeneratorEngine.start(EngineSettings.forModel(root.resolve("generator"))
                .maxLiveBranches(MAX_LIVE_BRANCHES).build());
        VerifierEngine verifier;
        try {
            verifier = VerifierEngine.builder().modelDir(root.resolve("prm")).build();
        } catch (RuntimeException e) {
            generator.close();
            throw e;
        }
        String identity = "in-process models " + Fingerprint.fileHash(root.resolve("generator/model.onnx")).substring(0, 12)
                + "/" + Fingerprint.fileHash(root.resolve("prm/model.onnx")).substring(0, 12);
        return new InProcessBackend(new InProcessGenerationSessions(generator), new InProcessStepScorer(verifier),
                SearchSettings.defaults(), identity, () -> {
            verifier.close();
            generator.close();
        });
    }
}
