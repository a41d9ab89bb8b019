package io.ttsmesh.task.countdown;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.task.Grade;
import io.ttsmesh.task.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One case of the grader-fixture schema (models/countdown/eval/grader-fixtures.jsonl), and the check that the Java
 * task agrees with it.
 */
record GraderCase(String name, List<Integer> numbers, int target, String completion, List<Boolean> ruleLabels,
                  List<Boolean> oracleLabels, String answer, boolean correct) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<GraderCase> parseLines(List<String> lines) {
        List<GraderCase> out = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                out.add(parse(line));
            }
        }
        return out;
    }

    static GraderCase parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            List<Integer> numbers = new ArrayList<>();
            n.get("numbers").forEach(x -> numbers.add(x.intValue()));
            return new GraderCase(n.get("name").asText(), numbers, n.get("target").intValue(),
                    n.get("completion").asText(), booleans(n.get("rule_labels")), booleans(n.get("oracle_labels")),
                    n.get("answer").isNull() ? null : n.get("answer").asText(), n.get("correct").booleanValue());
        } catch (IOException e) {
            throw new UncheckedIOException("bad case " + line, e);
        }
    }

    /** Rule labels, oracle labels, vote key and grade of the Java task equal the case's. */
    void assertAgrees(CountdownTask task) {
        String question = task.canonicalQuestion(numbers.stream().map(String::valueOf)
                .reduce((a, b) -> a + " " + b).orElse("") + " -> " + target);
        List<String> steps = Task.steps(completion);
        assertThat(task.rules().orElseThrow().labels(question, steps)).as("rule_labels of %s", name)
                .isEqualTo(ruleLabels);
        assertThat(task.oracle().orElseThrow().labels(question, steps)).as("oracle_labels of %s", name)
                .isEqualTo(oracleLabels);
        assertThat(task.answerKey(completion)).as("answer of %s", name).isEqualTo(answer);
        Grade grade = task.grade(question, completion, null);
        assertThat(grade.correct()).as("correct of %s", name).isEqualTo(correct);
        assertThat(grade.answer()).as("graded answer of %s", name).isEqualTo(answer);
        assertThat(grade.stepLabels()).as("graded step labels of %s", name).isEqualTo(oracleLabels);
    }

    @Override
    public String toString() {
        return name;
    }

    private static List<Boolean> booleans(JsonNode array) {
        List<Boolean> out = new ArrayList<>();
        array.forEach(x -> out.add(x.booleanValue()));
        return out;
    }
}
