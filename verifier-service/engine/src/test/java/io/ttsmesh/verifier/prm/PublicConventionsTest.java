package io.ttsmesh.verifier.prm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.runtime.ExecutionProvider;
import io.ttsmesh.runtime.ModelDirectory;
import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.task.TaskRegistry;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.task.math.MathTask;
import io.ttsmesh.verifier.ScoringRequest;
import io.ttsmesh.verifier.VerifierEngine;
import io.ttsmesh.verifier.batching.BatchSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The shipped Qwen2.5-Math-PRM and Math-Shepherd conventions on tiny synthetic graphs that follow them
 * (src/test/python/make_convention_fixtures.py): the engine reads the score tokens the Python replica
 * found and, with the convention's math, gets the scores it computed with numpy.
 */
class PublicConventionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Case(String question, List<String> steps, int[] positions, float[] scores) {
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(PublicConventionsTest.class.getResource("/conventions/" + name).toURI());
    }

    private static List<Case> cases(Path dir) throws Exception {
        JsonNode root = JSON.readTree(Files.readString(dir.resolve("expected.json")));
        List<Case> out = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            List<String> steps = new ArrayList<>();
            c.get("steps").forEach(s -> steps.add(s.asText()));
            int[] positions = new int[c.get("score_positions").size()];
            float[] scores = new float[positions.length];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = c.get("score_positions").get(i).asInt();
                scores[i] = (float) c.get("scores").get(i).asDouble();
            }
            out.add(new Case(c.get("question").asText(), steps, positions, scores));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen2.5-math-prm", "math-shepherd"})
    void readsTheConventionsScorePositions(String name) throws Exception {
        Path dir = fixture(name);
        try (PrmModel model = PrmModel.open(ModelDirectory.open(dir), ScoringConvention.load(name),
                ExecutionProvider.CPU, 1, 0)) {
            assertThat(model.hasPast()).isFalse();
            CandidateEncoder encoder = model.encoder();
            for (Case c : cases(dir)) {
                EncodedCandidate e = encoder.encode(encoder.question(c.question()), c.steps());
                assertThat(e.scorePositions()).as(c.question()).containsExactly(c.positions());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"qwen2.5-math-prm", "math-shepherd"})
    void scoresMatchTheIndependentComputation(String name) throws Exception {
        Path dir = fixture(name);
        List<Case> cases = cases(dir);
        for (BatchSettings batch : List.of(BatchSettings.DEFAULTS, BatchSettings.DEFAULTS.unbatched())) {
            for (long cacheBytes : new long[] {0, 1L << 20}) {
                // a public PRM serves questions in words: a pod of it names such a task
                try (VerifierEngine engine = VerifierEngine.builder().modelDir(dir).convention(name).batch(batch)
                        .cacheBytes(cacheBytes).intraOpThreads(1)
                        .tasks(new TaskRegistry(List.of(new MathTask()))).task(MathTask.NAME).build()) {
                    for (int round = 0; round < 2; round++) {
                        for (Case c : cases) {
                            // each case with its own question; all of its prefixes in one call, so rows of
                            // different lengths share padded batches
                            List<CandidateInput> in = new ArrayList<>();
                            for (int k = 1; k <= c.steps().size(); k++) {
                                in.add(CandidateInput.newestStep("k" + k, c.steps().subList(0, k)));
                            }
                            in.add(CandidateInput.allSteps("all", c.steps()));
                            List<CandidateResult> out = engine.score(new ScoringRequest("r", "prm", c.question(), in, MathTask.NAME),
                                    Instant.now().plusSeconds(30)).join();
                            for (int k = 1; k <= c.steps().size(); k++) {
                                assertThat(out.get(k - 1).scores()).hasSize(1);
                                assertThat(out.get(k - 1).scores()[0]).as(name + " prefix " + k)
                                        .isCloseTo(c.scores()[k - 1], within(1e-5f));
                            }
                            float[] all = out.getLast().scores();
                            assertThat(all).hasSize(c.scores().length);
                            for (int j = 0; j < all.length; j++) {
                                assertThat(all[j]).as(name + " step " + j).isCloseTo(c.scores()[j], within(1e-5f));
                            }
                        }
                    }
                }
            }
        }
    }
}
