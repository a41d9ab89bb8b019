package io.ttsmesh.bench.verifier;

import io.ttsmesh.bench.BenchJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the benchmark sends: the training script's generator samples of the held-out questions, as single
 * candidates and as beams (4 samples of one question extended together one step at a time).
 */
record Workload(int questions, List<Sample> samples, List<Beam> beams) {

    static final int BEAM_WIDTH = 4;

    record Sample(String question, List<String> steps) {
    }

    record Beam(String question, List<List<String>> samples) {
        int steps() {
            return samples.stream().mapToInt(List::size).max().orElse(0);
        }
    }

    static Workload load(Path heldoutSamples) throws IOException {
        ObjectMapper json = BenchJson.MAPPER;
        List<Sample> samples = new ArrayList<>();
        List<Beam> beams = new ArrayList<>();
        int questions = 0;
        for (String line : Files.readAllLines(heldoutSamples)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode q = json.readTree(line);
            questions++;
            String question = q.get("question").asText();
            List<List<String>> group = new ArrayList<>();
            for (JsonNode s : q.get("samples")) {
                List<String> steps = new ArrayList<>();
                s.get("steps").forEach(x -> steps.add(x.asText()));
                if (steps.isEmpty()) {
                    continue;
                }
                samples.add(new Sample(question, steps));
                group.add(steps);
                if (group.size() == BEAM_WIDTH) {
                    beams.add(new Beam(question, group));
                    group = new ArrayList<>();
                }
            }
        }
        if (samples.isEmpty()) {
            throw new IllegalArgumentException(heldoutSamples + " holds no samples with steps");
        }
        return new Workload(questions, samples, beams);
    }
}
