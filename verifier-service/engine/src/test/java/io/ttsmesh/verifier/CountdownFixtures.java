package io.ttsmesh.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.task.Task;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Countdown grader fixtures shared by the Python reference and the Java task
 * ({@code models/countdown/eval/grader-fixtures.jsonl}): per case the question, the completion's steps and the
 * rule and oracle labels the contract gives them. Cases without steps are left out (nothing to score).
 */
public final class CountdownFixtures {

    public record Case(String name, String question, List<String> steps, List<Boolean> ruleLabels,
                       List<Boolean> oracleLabels) {
    }

    private CountdownFixtures() {
    }

    public static Path file() {
        return BundledModels.root().resolve("countdown/eval/grader-fixtures.jsonl");
    }

    public static List<Case> read() {
        ObjectMapper json = new ObjectMapper();
        List<Case> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file())) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode c = json.readTree(line);
                List<String> numbers = new ArrayList<>();
                c.get("numbers").forEach(n -> numbers.add(n.asText()));
                String question = String.join(" ", numbers) + " -> " + c.get("target").asText();
                List<String> steps = Task.steps(c.get("completion").asText());
                if (steps.isEmpty()) {
                    continue;
                }
                out.add(new Case(c.get("name").asText(), question, steps, labels(c.get("rule_labels")),
                        labels(c.get("oracle_labels"))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file(), e);
        }
        return out;
    }

    private static List<Boolean> labels(JsonNode array) {
        List<Boolean> out = new ArrayList<>();
        array.forEach(b -> out.add(b.asBoolean()));
        return out;
    }

    /** 1 where a label is true, else 0: what rules and oracle answer. */
    public static float[] scores(List<Boolean> labels) {
        float[] s = new float[labels.size()];
        for (int j = 0; j < s.length; j++) {
            s[j] = labels.get(j) ? 1f : 0f;
        }
        return s;
    }
}
