package io.ttsmesh.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.runtime.BundledModels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The training script's generator samples of the held-out questions ({@code models/eval/heldout-samples.jsonl}):
 * per question, samples with their steps, step labels and the script's own PRM step scores.
 */
public record HeldoutSamples(List<Question> questions) {

    public record Sample(List<String> steps, List<Boolean> labels, float[] scores) {
    }

    public record Question(String id, String question, List<Sample> samples) {
    }

    public static Path file() {
        return BundledModels.root().resolve("eval/heldout-samples.jsonl");
    }

    /** The first {@code limit} questions (all when limit <= 0). */
    public static HeldoutSamples read(int limit) {
        ObjectMapper json = new ObjectMapper();
        List<Question> out = new ArrayList<>();
        try (var lines = Files.lines(file())) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isBlank()) {
                    continue;
                }
                if (limit > 0 && out.size() == limit) {
                    break;
                }
                JsonNode q = json.readTree(line);
                List<Sample> samples = new ArrayList<>();
                for (JsonNode s : q.get("samples")) {
                    List<String> steps = new ArrayList<>();
                    s.get("steps").forEach(x -> steps.add(x.asText()));
                    List<Boolean> labels = new ArrayList<>();
                    s.get("labels").forEach(x -> labels.add(x.asBoolean()));
                    float[] scores = new float[s.get("scores").size()];
                    for (int i = 0; i < scores.length; i++) {
                        scores[i] = (float) s.get("scores").get(i).asDouble();
                    }
                    samples.add(new Sample(steps, labels, scores));
                }
                out.add(new Question(q.get("id").asText(), q.get("question").asText(), samples));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file(), e);
        }
        return new HeldoutSamples(out);
    }
}
