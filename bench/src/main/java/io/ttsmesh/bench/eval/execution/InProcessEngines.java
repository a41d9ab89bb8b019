package io.ttsmesh.bench.eval.execution;

import io.ttsmesh.generator.engine.EngineSettings;
import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.mesh.inprocess.InProcessGenerationSessions;
import io.ttsmesh.mesh.inprocess.InProcessStepScorer;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.run.ServedTask;
import io.ttsmesh.task.TaskRegistry;
import io.ttsmesh.verifier.VerifierEngine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation's in-process backend: per task, the generator and verifier engines of that task's models folder
 * in this JVM behind the search ports (library mode), one runner serving every task. Each verifier engine is set
 * to its models' task, so its PRM scores that task only, while rules, oracle and stacks such as rules+prm work
 * for every task.
 */
public final class InProcessEngines {

    /**
     * Live branches the generator admits. An evaluation keeps up to --concurrency searches in flight, and one MCTS
     * search at 32 iterations of k = 4 holds up to 100 leaves; branches share their prompt and history segments, so
     * the KV bound (1 GiB, the engine's default) is what actually limits memory.
     */
    static final int MAX_LIVE_BRANCHES = 16_384;

    /** Where a task's models are: a folder with generator/ and prm/. */
    public record TaskModels(String task, Path dir) {
    }

    private InProcessEngines() {
    }

    /**
     * The arithmetic models and, where {@code countdown} is a models folder, the Countdown models.
     *
     * @param arithmetic null: the bundled test-bed models
     * @param countdown null: none (arithmetic only)
     */
    public static SearchBackend backend(Path arithmetic, Path countdown) {
        List<TaskModels> models = new ArrayList<>();
        models.add(new TaskModels(TaskRegistry.DEFAULT, arithmetic != null ? arithmetic : BundledModels.root()));
        if (countdown != null) {
            models.add(new TaskModels("countdown", countdown));
        }
        return backend(models);
    }

    /** The Countdown models beside the arithmetic ones ({@code <models>/countdown}), or null when there are none. */
    public static Path countdownBeside(Path arithmetic) {
        Path dir = (arithmetic != null ? arithmetic : BundledModels.root()).resolve("countdown");
        return hasModels(dir) ? dir : null;
    }

    /** Whether a folder holds a generator and a PRM. */
    public static boolean hasModels(Path dir) {
        return Files.isRegularFile(dir.resolve("generator/model.onnx")) && Files.isRegularFile(dir.resolve("prm/model.onnx"));
    }

    public static SearchBackend backend(List<TaskModels> models) {
        TaskRegistry registry = TaskRegistry.load();
        List<ServedTask> served = new ArrayList<>();
        Map<String, String> identities = new LinkedHashMap<>();
        List<AutoCloseable> opened = new ArrayList<>();
        AutoCloseable closeAll = () -> {
            for (AutoCloseable c : opened.reversed()) {
                c.close();
            }
        };
        try {
            for (TaskModels m : models) {
                if (!hasModels(m.dir())) {
                    throw new IllegalArgumentException("no models for task " + m.task() + " in " + m.dir()
                            + " (expected generator/model.onnx and prm/model.onnx)");
                }
                GeneratorEngine generator = GeneratorEngine.start(EngineSettings.forModel(m.dir().resolve("generator"))
                        .maxLiveBranches(MAX_LIVE_BRANCHES).build());
                opened.add(generator);
                VerifierEngine verifier = VerifierEngine.builder().modelDir(m.dir().resolve("prm")).task(m.task())
                        .tasks(registry).build();
                opened.add(verifier);
                served.add(ServedTask.of(registry.get(m.task()), new InProcessGenerationSessions(generator),
                        new InProcessStepScorer(verifier, m.task()), SearchSettings.defaults()));
                identities.put(m.task(), identity(m));
            }
        } catch (RuntimeException e) {
            try {
                closeAll.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new InProcessBackend(registry, served, identities, closeAll);
    }

    /**
     * Names a task's models in fingerprints: the default task's as before tasks existed ("in-process models
     * generator/prm"), so its results files stay valid.
     */
    static String identity(TaskModels m) {
        String models = Fingerprint.fileHash(m.dir().resolve("generator/model.onnx")).substring(0, 12) + "/"
                + Fingerprint.fileHash(m.dir().resolve("prm/model.onnx")).substring(0, 12);
        return TaskRegistry.DEFAULT.equals(m.task()) ? "in-process models " + models
                : "in-process " + m.task() + " models " + models;
    }
}
