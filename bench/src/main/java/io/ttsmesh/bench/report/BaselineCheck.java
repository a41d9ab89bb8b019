package io.ttsmesh.bench.report;

import io.ttsmesh.bench.BenchJson;
import com.fasterxml.jackson.databind.JsonNode;
import io.ttsmesh.bench.eval.stats.RunSummary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Issue 7's check: best-of-N (PRM), weighted best-of-N and self-consistency at the training script's N reproduce
 * its baseline figures ({@code models/eval/baseline.json}, metrics "all") within a tolerance.
 */
public final class BaselineCheck {

    /** One strategy against the script's figure. */
    public record Row(String run, String metric, String definition, double ours, Double script, int questions,
                      int scriptQuestions, boolean within) {
    }

    /** The script's settings, for the report. */
    public record Script(int samplesPerQuestion, double temperature, int questions, String command) {
    }

    private final JsonNode baseline;

    public BaselineCheck(Path baselineJson) {
        try {
            this.baseline = BenchJson.MAPPER.readTree(baselineJson.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + baselineJson, e);
        }
    }

    public Script script() {
        return new Script(baseline.path("samples_per_question").asInt(), baseline.path("temperature").asDouble(),
                baseline.path("questions").asInt(baseline.path("metrics").path("all").path("questions").asInt()),
                baseline.path("command").asText());
    }

    /** The runs that correspond to the script's metrics, at the script's N. */
    public List<String> runs() {
        int n = script().samplesPerQuestion();
        return List.of("best_of_n@" + n, "weighted_best_of_n@" + n, "self_consistency@" + n);
    }

    public List<Row> compare(List<RunSummary> fullHeldout, double tolerance) {
        int n = script().samplesPerQuestion();
        String[][] pairs = {{"best_of_n@" + n, "prm_best_of_n"}, {"weighted_best_of_n@" + n, "prm_weighted_vote_at_n"},
                {"self_consistency@" + n, "majority_at_n"}};
        List<Row> rows = new ArrayList<>();
        JsonNode all = baseline.path("metrics").path("all");
        for (String[] p : pairs) {
            Optional<RunSummary> ours = fullHeldout.stream().filter(r -> r.run().name().equals(p[0])).findFirst();
            if (ours.isEmpty()) {
                continue;
            }
            JsonNode v = all.get(p[1]);
            Double script = v == null || v.isNull() ? null : v.asDouble();
            double acc = ours.get().accuracy().estimate();
            rows.add(new Row(p[0], p[1], baseline.path("definitions").path(p[1]).asText(""), acc, script,
                    ours.get().questions(), all.path("questions").asInt(),
                    script != null && Math.abs(acc - script) <= tolerance + 1e-12));
        }
        return rows;
    }
}
