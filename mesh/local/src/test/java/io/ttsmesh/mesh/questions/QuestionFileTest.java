package io.ttsmesh.mesh.questions;

import io.ttsmesh.runtime.BundledModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuestionFileTest {

    @TempDir
    Path dir;

    private Path file(String... lines) throws Exception {
        Path f = dir.resolve("q.jsonl");
        Files.write(f, List.of(lines));
        return f;
    }

    @Test
    void readsIdsAnswersAndDifficultiesCanonicallyAndWorksOutMissingOnes() throws Exception {
        List<Question> qs = QuestionFile.read(file(
                "{\"id\": \"a\", \"question\": \"2+3*4\", \"answer\": \"014\", \"difficulty\": 7, \"extra\": [1]}",
                "",
                "{\"question\": \" (1+2)*3-4 \", \"answer\": 5}",
                "{\"id\": 17, \"task\": \"arithmetic\", \"question\": \"6*7\", \"answer\": \"+42\"}",
                "{\"id\": \"no-answer\", \"question\": \"6*7\"}"));
        assertThat(qs).containsExactly(
                new Question("a", "2+3*4", "14", 7),
                new Question("line-3", "(1+2)*3-4", "5", 3),
                new Question("17", "6*7", "42", 1),
                new Question("no-answer", "6*7", null, 1));
        assertThat(qs).allSatisfy(q -> assertThat(q.task()).isEqualTo("arithmetic"));
    }

    @Test
    void aSampleIsTheSameForTheSameSeedAndDrawsWithoutReplacement() throws Exception {
        Path f = file("{\"id\": \"a\", \"question\": \"1+1\"}", "{\"id\": \"b\", \"question\": \"2+2\"}",
                "{\"id\": \"c\", \"question\": \"3+3\"}", "{\"id\": \"d\", \"question\": \"4+4\"}");
        List<Question> first = QuestionFile.sample(f, 3, 42);
        assertThat(QuestionFile.sample(f, 3, 42)).isEqualTo(first);
        assertThat(first).extracting(Question::id).doesNotHaveDuplicates().hasSize(3);
        assertThat(QuestionFile.sample(f, 4, 7)).extracting(Question::id).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThatThrownBy(() -> QuestionFile.sample(f, 5, 42)).hasMessageContaining("--questions 5 exceeds the 4 questions");
        assertThatThrownBy(() -> QuestionFile.sample(f, 0, 42)).hasMessageContaining("--questions must be >= 1");
    }

    @Test
    void countdownRecordsAreReadByTheirTaskAndMayMixWithArithmetic() throws Exception {
        List<Question> qs = QuestionFile.read(file(
                "{\"id\": \"cd-1\", \"task\": \"countdown\", \"numbers\": [3, 7, 9, 2], \"target\": 24, \"difficulty\": 4}",
                "{\"id\": \"cd-2\", \"task\": \"countdown\", \"numbers\": [12, 4, 5], \"target\": 21}",
                "{\"id\": \"ar-1\", \"question\": \"7+(8*2)\", \"answer\": 23}"));
        assertThat(qs).containsExactly(
                new Question("cd-1", "countdown", "3 7 9 2 -> 24", null, 4),
                new Question("cd-2", "countdown", "12 4 5 -> 21", null, 3),
                new Question("ar-1", "arithmetic", "7+(8*2)", "23", 2));
    }

    @Test
    void aCountdownRecordThatBreaksTheContractNamesItsLineAndField() throws Exception {
        String ok = "{\"task\": \"countdown\", \"numbers\": [3, 7, 9], \"target\": 24}";
        assertThatThrownBy(() -> QuestionFile.read(file(ok, "{\"task\": \"countdown\", \"target\": 24}")))
                .isInstanceOf(InvalidQuestionFile.class).hasMessageContaining("line 2: field 'numbers': missing");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"task\": \"countdown\", \"numbers\": [3, 13, 9], \"target\": 24}")))
                .hasMessageContaining("line 1: field 'numbers'").hasMessageContaining("1..12");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"task\": \"countdown\", \"numbers\": [3, 7], \"target\": 24}")))
                .hasMessageContaining("field 'numbers'").hasMessageContaining("3 to 5 numbers");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"task\": \"countdown\", \"numbers\": [3, 7, 9], \"target\": 100}")))
                .hasMessageContaining("line 1: field 'target'").hasMessageContaining("10..99");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"task\": \"countdown\", \"numbers\": [3, 7, 9], \"target\": \"24\"}")))
                .hasMessageContaining("field 'target'");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"task\": \"countdown\", \"numbers\": \"3 7 9\", \"target\": 24}")))
                .hasMessageContaining("field 'numbers'").hasMessageContaining("list of integers");
        assertThatThrownBy(() -> QuestionFile.read(file(ok, ok.replace("}", ", \"answer\": \"9-7=2\"}"))))
                .hasMessageContaining("line 2: field 'answer'").hasMessageContaining("task countdown");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"task\": \"chess\", \"question\": \"e4\"}")))
                .hasMessageContaining("line 1: field 'task': unknown task 'chess'").hasMessageContaining("countdown");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"task\": 7, \"question\": \"1+1\"}")))
                .hasMessageContaining("line 1: field 'task' must be a task name");
    }

    @Test
    void readsTheCommittedSets() {
        List<Question> held = QuestionFile.read(BundledModels.root().resolve("eval/heldout.jsonl"));
        assertThat(held).hasSize(1000);
        assertThat(held).allSatisfy(q -> assertThat(q.difficulty()).isBetween(2, 5));
    }

    @Test
    void namesTheLineAndFieldOfEveryMistake() throws Exception {
        assertThatThrownBy(() -> QuestionFile.read(file("{\"question\": \"1+1\", \"answer\": \"2\"}", "{oops")))
                .isInstanceOf(InvalidQuestionFile.class).hasMessageContaining("line 2").hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"answer\": \"2\"}")))
                .hasMessageContaining("line 1: field 'question': missing");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"question\": \"What is six times seven?\", \"answer\": 42}")))
                .hasMessageContaining("line 1: field 'question'");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"question\": \"1+1\", \"answer\": \"two\"}")))
                .hasMessageContaining("field 'answer': 'two' is not an answer task arithmetic reads");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"question\": \"1+1\", \"answer\": \"2\\n3\"}")))
                .hasMessageContaining("field 'answer'");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"question\": \"1+1\", \"answer\": 2.5}")))
                .hasMessageContaining("'answer' must be a string or an integer");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"question\": \"1+1\", \"answer\": \"2\", \"difficulty\": \"easy\"}")))
                .hasMessageContaining("'difficulty' must be an integer");
        assertThatThrownBy(() -> QuestionFile.read(file("[1, 2]")))
                .hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> QuestionFile.read(file(
                "{\"id\": \"x\", \"question\": \"1+1\", \"answer\": \"2\"}",
                "{\"id\": \"x\", \"question\": \"1+2\", \"answer\": \"3\"}")))
                .hasMessageContaining("line 2").hasMessageContaining("id 'x' was already used on line 1");
        assertThatThrownBy(() -> QuestionFile.read(file("", "  ")))
                .hasMessageContaining("holds no questions");
        assertThatThrownBy(() -> QuestionFile.read(dir.resolve("missing.jsonl")))
                .hasMessageContaining("does not exist");
    }
}
