package io.ttsmesh.bench.eval.grading;

import io.ttsmesh.bench.BenchJson;
import io.ttsmesh.mesh.questions.QuestionFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.task.Grade;
import io.ttsmesh.task.Task;
import io.ttsmesh.task.TaskRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerGraderTest {

    private static final TaskRegistry TASKS = TaskRegistry.load();
    private static final Task ARITHMETIC = TASKS.get("arithmetic");
    private static final Task COUNTDOWN = TASKS.get("countdown");

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
    void arithmeticGradesWithTheTestBedCanonicalization(String reference, String answer, boolean correct) {
        String expected = QuestionFile.canonicalAnswer(ARITHMETIC, reference);
        Grade g = AnswerGrader.grade(ARITHMETIC, "6*7", List.of("6*7=42", "A: " + answer), expected);
        assertThat(g.correct()).isEqualTo(correct);
    }

    @Test
    void noSolutionIsWrongAndAReferenceThatIsNoAnswerIsRefused() {
        assertThat(AnswerGrader.grade(ARITHMETIC, "6*7", List.of(), "42").correct()).isFalse();
        assertThat(AnswerGrader.grade(ARITHMETIC, "6*7", null, "42").correct()).isFalse();
        assertThat(AnswerGrader.grade(COUNTDOWN, "3 7 9 2 -> 24", List.of(), null).correct()).isFalse();
        assertThat(QuestionFile.canonicalAnswer(ARITHMETIC, "seven")).isNull();
        assertThat(QuestionFile.canonicalAnswer(ARITHMETIC, "4\n2")).isNull();
        assertThat(QuestionFile.canonicalAnswer(COUNTDOWN, "24")).isNull();
    }

    @Test
    void arithmeticWithoutAReferenceIsGradedAgainstTheExpressionsValue() {
        assertThat(AnswerGrader.grade(ARITHMETIC, "6*7", List.of("6*7=42", "A: 42"), null).correct()).isTrue();
        assertThat(AnswerGrader.grade(ARITHMETIC, "6*7", List.of("6*7=43", "A: 43"), null).correct()).isFalse();
    }

    @Test
    void readsTheAnswerOfAChosenSolutionLikeTheTaskGrader() {
        assertThat(AnswerGrader.grade(ARITHMETIC, "3*4+5", List.of("3*4=12", "12+5=17", "A: 017"), "17").answer())
                .isEqualTo("17");
        assertThat(AnswerGrader.grade(ARITHMETIC, "3*4", List.of("3*4=12", "A: x", "A: 12"), "12").answer()).isNull();
        assertThat(AnswerGrader.grade(ARITHMETIC, "3*4", List.of("3*4=12"), "12").answer()).isNull();
    }

    /** Countdown: any valid solution is right, the vote key is read from the steps, and a wrong one is wrong. */
    @Test
    void countdownGradesTheWholeSolution() {
        List<String> right = List.of("9+7=16; 3 2 16", "16*3=48; 2 48", "48/2=24; 24", "A: 24");
        Grade g = AnswerGrader.grade(COUNTDOWN, "3 7 9 2 -> 24", right, null);
        assertThat(g.correct()).isTrue();
        assertThat(g.answer()).isEqualTo("3*16=48,48/2=24,7+9=16");
        assertThat(AnswerGrader.grade(COUNTDOWN, "3 7 9 2 -> 24", right.subList(0, 3), null).correct()).isFalse();
        assertThat(AnswerGrader.grade(COUNTDOWN, "3 7 9 2 -> 24",
                List.of("9+7=16; 3 2 16", "16*3=48; 2 48", "48/2=24; 2 24", "A: 24"), null).correct()).isFalse();
        assertThat(AnswerGrader.grade(COUNTDOWN, "3 7 9 2 -> 25", right, null).correct()).isFalse();
    }

    /** Every fixture of the Python reference graders: graded here through the task, the verdicts agree. */
    @Test
    void agreesWithTheGraderFixturesOfBothTasks() throws Exception {
        ObjectMapper json = BenchJson.MAPPER;
        List<String> arithmetic = Files.readAllLines(BundledModels.root().resolve("eval/grader-fixtures.jsonl"));
        assertThat(arithmetic).hasSizeGreaterThan(50);
        for (String line : arithmetic) {
            JsonNode f = json.readTree(line);
            Grade g = AnswerGrader.grade(ARITHMETIC, f.get("question").asText(),
                    Task.steps(f.get("completion").asText()), QuestionFile.canonicalAnswer(ARITHMETIC, f.get("answer").asText()));
            assertThat(g.correct()).as(f.get("id").asText()).isEqualTo(f.get("expected").get("answer_correct").asBoolean());
        }
        List<String> countdown = Files.readAllLines(BundledModels.root().resolve("countdown/eval/grader-fixtures.jsonl"));
        assertThat(countdown).hasSizeGreaterThan(20);
        for (String line : countdown) {
            JsonNode f = json.readTree(line);
            @SuppressWarnings("unchecked")
            String question = COUNTDOWN.questionText(json.convertValue(f, Map.class));
            Grade g = AnswerGrader.grade(COUNTDOWN, question, Task.steps(f.get("completion").asText()), null);
            assertThat(g.correct()).as(f.get("name").asText()).isEqualTo(f.get("correct").asBoolean());
            assertThat(g.answer()).as(f.get("name").asText()).isEqualTo(f.get("answer").isNull() ? null : f.get("answer").asText());
        }
    }
}
