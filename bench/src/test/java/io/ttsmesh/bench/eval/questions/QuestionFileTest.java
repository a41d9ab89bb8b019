package io.ttsmesh.bench.eval.questions;

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
                "{\"question\": \"(1+2)*3-4\", \"answer\": 5}",
                "{\"id\": 17, \"question\": \"What is six times seven?\", \"answer\": \"+42\"}"));
        assertThat(qs).containsExactly(
                new Question("a", "2+3*4", "14", 7),
                new Question("line-3", "(1+2)*3-4", "5", 3),
                new Question("17", "What is six times seven?", "42", null));
        assertThat(qs.get(2).difficultyLabel()).isEqualTo("unknown");
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
                .hasMessageContaining("line 1").hasMessageContaining("'question' is required");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"question\": \"1+1\"}")))
                .hasMessageContaining("'answer' is required");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"question\": \"1+1\", \"answer\": \"two\"}")))
                .hasMessageContaining("'answer' must be an integer").hasMessageContaining("'two'");
        assertThatThrownBy(() -> QuestionFile.read(file("{\"question\": \"1+1\", \"answer\": 2.5}")))
                .hasMessageContaining("'answer' is required (a string or an integer)");
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
