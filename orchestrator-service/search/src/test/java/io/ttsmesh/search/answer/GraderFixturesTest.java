package io.ttsmesh.search.answer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The search reads answers exactly as the test bed's grader does (models/eval/grader-fixtures.jsonl). */
class GraderFixturesTest {

    @Test
    void testBedFormatAgreesWithTheGraderOnEveryFixture() throws IOException {
        String modelsDir = System.getProperty("ttsmesh.models.dir");
        assertThat(modelsDir).as("system property ttsmesh.models.dir (set by the root pom)").isNotNull();
        List<String> lines = Files.readAllLines(Path.of(modelsDir, "eval", "grader-fixtures.jsonl"));
        assertThat(lines).hasSizeGreaterThan(20);
        ObjectMapper json = new ObjectMapper();
        AnswerFormat format = AnswerFormat.testBed();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode fixture = json.readTree(line);
            JsonNode expected = fixture.get("expected").get("answer");
            String want = expected == null || expected.isNull() ? null : expected.asText();
            assertThat(format.extract(fixture.get("completion").asText()))
                    .as("fixture %s", fixture.get("id").asText())
                    .isEqualTo(want);
        }
    }
}
