package io.ttsmesh.bench.eval.grading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.testbed.AnswerExtractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerGraderTest {

    @ParameterizedTest(name = "reference {0} vs answer [{1}] -> {2}")
    @CsvSource(delimiter = '|', value = {
            "112 | 112 | true",
            "112 | +112 | true",
            "112 | 0112 | true",
            "0 | -0 | true",
            "-0 | 0 | true",
            "-7 | -007 | true",
            "'  42\t' | 42 | true",
            "42 | '42\r' | true",
            "42 | 42.0 | false",
            "42 | 4e1 | false",
            "42 | '4 2' | false",
            "42 | ++42 | false",
            "42 | - 42 | false",
            "-42 | 42 | false",
            "42 | '' | false",
            "123456789012345678901234567890 | 0123456789012345678901234567890 | true",
            "123456789012345678901234567890 | 123456789012345678901234567891 | false",
            "42 | '\u0664\u0662' | false",
            "42 | '\uff14\uff12' | false",
    })
    void gradesWithTheTestBedCanonicalization(String reference, String answer, boolean correct) {
        assertThat(AnswerGrader.isCorrect(reference, answer)).isEqualTo(correct);
    }

    @Test
    void noAnswerIsWrongAndAReferenceThatIsNoIntegerMatchesNothing() {
        assertThat(AnswerGrader.isCorrect("7", null)).isFalse();
        assertThat(AnswerGrader.isCorrect("seven", "seven")).isFalse();
        assertThat(AnswerGrader.canonical("seven")).isNull();
    }

    @Test
    void readsTheAnswerOfAChosenSolutionLikeTheTestBedGrader() {
        assertThat(AnswerGrader.answerOfSolution(List.of("3*4=12", "12+5=17", "A: 017"))).isEqualTo("17");
        assertThat(AnswerGrader.answerOfSolution(List.of("3*4=12", "A: x", "A: 12"))).isNull();
        assertThat(AnswerGrader.answerOfSolution(List.of("3*4=12"))).isNull();
        assertThat(AnswerGrader.answerOfSolution(List.of())).isNull();
    }

    /** Every fixture of the Python reference grader: the answer it extracts, graded here, agrees on correctness. */
    @Test
    void agreesWithTheGraderFixtures() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(BundledModels.root().resolve("eval/grader-fixtures.jsonl"));
        assertThat(lines).hasSizeGreaterThan(50);
        for (String line : lines) {
            JsonNode f = json.readTree(line);
            String extracted = AnswerExtractor.extract(f.get("completion").asText());
            boolean expected = f.get("expected").get("answer_correct").asBoolean();
            assertThat(AnswerGrader.isCorrect(f.get("answer").asText(), extracted))
                    .as(f.get("id").asText()).isEqualTo(expected);
        }
    }
}
