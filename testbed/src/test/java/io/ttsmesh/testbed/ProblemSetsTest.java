package io.ttsmesh.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed problem sets are consistent with the Java parser, solver and grader. */
class ProblemSetsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"heldout.jsonl", "train-split.jsonl"})
    void everyProblemIsConsistent(String file) throws IOException {
        List<String> lines = Files.readAllLines(ModelsDir.resolve().resolve("eval").resolve(file),
                StandardCharsets.UTF_8);
        Map<Integer, Integer> perDifficulty = new HashMap<>();
        Set<String> questions = new HashSet<>();
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            ArithmeticProblem p = new ArithmeticProblem(n.get("id").asText(), n.get("question").asText(),
                    n.get("answer").asText(), n.get("difficulty").asInt());
            ArithmeticProblem computed = ArithmeticProblem.of(p.id(), p.question());
            assertThat(computed).isEqualTo(p);
            assertThat(ExpressionTree.parse(p.question()).render()).isEqualTo(p.question());
            GradeResult g = Grader.grade(p, p.canonicalCompletion());
            assertThat(g.solutionCorrect()).isTrue();
            assertThat(g.answerCorrect()).isTrue();
            assertThat(questions.add(p.question())).as("duplicate %s", p.question()).isTrue();
            perDifficulty.merge(p.difficulty(), 1, Integer::sum);
        }
        assertThat(lines).hasSizeGreaterThanOrEqualTo(1000);
        assertThat(perDifficulty.keySet()).containsExactlyInAnyOrder(2, 3, 4, 5);
        assertThat(perDifficulty.values()).allSatisfy(c -> assertThat(c).isEqualTo(lines.size() / 4));
    }
}
