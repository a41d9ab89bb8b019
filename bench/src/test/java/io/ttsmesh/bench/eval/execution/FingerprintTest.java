package io.ttsmesh.bench.eval.execution;

import io.ttsmesh.bench.eval.config.ConfigFile;
import io.ttsmesh.bench.eval.config.EvalConfig;
import io.ttsmesh.runtime.BundledModels;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Results files written before tasks existed stay valid: the arithmetic runs keep their fingerprints (so the report
 * reuses the committed searches), and a run on Countdown questions gets another one.
 */
class FingerprintTest {

    private static final EvalConfig STRATEGIES = ConfigFile.read(Path.of("eval/report/strategies.json"));
    /** How bench/results/report/a9a7f53c-63a8ea36/heldout.jsonl (written before tasks) names its models. */
    private static final String COMMITTED_BACKEND = "in-process models a9a7f53c823b/63a8ea362d6e";

    @Test
    void arithmeticRunsKeepTheFingerprintsOfTheCommittedResults() {
        assertThat(Fingerprint.of(STRATEGIES.run("self_consistency@16").orElseThrow(), 1, COMMITTED_BACKEND, "arithmetic"))
                .isEqualTo("75c9c5f195471f9d");
        assertThat(Fingerprint.of(STRATEGIES.run("beam_search@8").orElseThrow(), 1, COMMITTED_BACKEND, "arithmetic"))
                .isEqualTo("c4ff3586b33f9e3d");
        assertThat(Fingerprint.of(STRATEGIES.run("beam_search@8").orElseThrow(), 1, COMMITTED_BACKEND))
                .isEqualTo("c4ff3586b33f9e3d");
    }

    @Test
    void anotherTaskOrAnotherBackendIsAnotherFingerprint() {
        var run = STRATEGIES.run("beam_search@8").orElseThrow();
        assertThat(Fingerprint.of(run, 1, COMMITTED_BACKEND, "countdown")).isNotEqualTo("c4ff3586b33f9e3d");
        assertThat(Fingerprint.of(run, 1, "in-process countdown models 847c1c1feb89/615031b520a4", "countdown"))
                .isNotEqualTo(Fingerprint.of(run, 1, COMMITTED_BACKEND, "countdown"));
        assertThat(Fingerprint.of(run, 2, COMMITTED_BACKEND, "arithmetic")).isNotEqualTo("c4ff3586b33f9e3d");
    }

    @Test
    void theArithmeticModelsAreNamedAsBeforeTasksAndOtherTasksByName() {
        Path models = BundledModels.root();
        String sha = Fingerprint.fileHash(models.resolve("generator/model.onnx")).substring(0, 12) + "/"
                + Fingerprint.fileHash(models.resolve("prm/model.onnx")).substring(0, 12);
        assertThat(InProcessEngines.identity(new InProcessEngines.TaskModels("arithmetic", models)))
                .isEqualTo("in-process models " + sha);
        assertThat(InProcessEngines.identity(new InProcessEngines.TaskModels("countdown", models)))
                .isEqualTo("in-process countdown models " + sha);
    }
}
