package io.ttsmesh.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java grader agrees exactly with every case of models/eval/grader-fixtures.jsonl. */
class GraderFixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<JsonNode> fixtures() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(ModelsDir.resolve().resolve("eval/grader-fixtures.jsonl"),
                StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("fixtures")
    void agreesWithFixture(JsonNode fixture) {
        String question = fixture.get("question").asText();
        String answer = fixture.get("answer").asText();
        String completion = fixture.get("completion").asText();
        JsonNode expected = fixture.get("expected");

        GradeResult r = Grader.grade(question, answer, completion);

        String expectedAnswer = expected.get("answer").isNull() ? null : expected.get("answer").asText();
        List<Boolean> expectedLabels = new ArrayList<>();
        expected.get("step_labels").forEach(n -> expectedLabels.add(n.asBoolean()));
        assertThat(r.answer()).as("canonical answer of %s", fixture.get("id")).isEqualTo(expectedAnswer);
        assertThat(r.answerCorrect()).as("answer_correct of %s", fixture.get("id"))
                .isEqualTo(expected.get("answer_correct").asBoolean());
        assertThat(r.stepLabels()).as("step labels of %s", fixture.get("id")).isEqualTo(expectedLabels);
        assertThat(AnswerExtractor.extract(completion)).isEqualTo(expectedAnswer);
        assertThat(Long.toString(ExpressionTree.parse(question).evaluate())).isEqualTo(answer);
    }

    @Test
    void thereAreEnoughFixtures() throws IOException {
        assertThat(fixtures().count()).isGreaterThanOrEqualTo(60);
    }
}
