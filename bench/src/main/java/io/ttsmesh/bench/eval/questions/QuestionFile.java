package io.ttsmesh.bench.eval.questions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.bench.eval.grading.AnswerGrader;
import io.ttsmesh.testbed.ExpressionTree;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSONL file of {@code {"id"?, "question", "answer", "difficulty"?}} objects (other fields are
 * ignored, blank lines skipped). Every problem is reported with its line and field, before anything runs.
 */
public final class QuestionFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QuestionFile() {
    }

    public static List<Question> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidQuestionFile("question file " + file + " does not exist or is not a file");
        }
        List<Question> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Question q = parse(file, number, line);
                Integer first = seen.putIfAbsent(q.id(), number);
                if (first != null) {
                    throw new InvalidQuestionFile(where(file, number) + "id '" + q.id() + "' was already used on line " + first);
                }
                out.add(q);
            }
        } catch (IOException e) {
            throw new InvalidQuestionFile("cannot read question file " + file + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new InvalidQuestionFile("question file " + file + " holds no questions");
        }
        return List.copyOf(out);
    }

    static Question parse(Path file, int number, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new InvalidQuestionFile(where(file, number) + "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidQuestionFile(where(file, number) + "expected a JSON object");
        }
        String id = "line-" + number;
        JsonNode idNode = node.get("id");
        if (idNode != null && !idNode.isNull()) {
            if (!(idNode.isTextual() || idNode.isIntegralNumber()) || idNode.asText().isBlank()) {
                throw new InvalidQuestionFile(where(file, number) + "field 'id' must be a non-empty string or an integer");
            }
            id = idNode.asText();
        }
        JsonNode questionNode = node.get("question");
        if (questionNode == null || !questionNode.isTextual() || questionNode.asText().isBlank()) {
            throw new InvalidQuestionFile(where(file, number) + "field 'question' is required (a non-empty string)");
        }
        JsonNode answerNode = node.get("answer");
        if (answerNode == null || !(answerNode.isTextual() || answerNode.isIntegralNumber())) {
            throw new InvalidQuestionFile(where(file, number) + "field 'answer' is required (a string or an integer)");
        }
        String answer = AnswerGrader.canonical(answerNode.asText());
        if (answer == null) {
            throw new InvalidQuestionFile(where(file, number) + "field 'answer' must be an integer (the test bed's answer "
                    + "format), got '" + answerNode.asText() + "'");
        }
        Integer difficulty = null;
        JsonNode difficultyNode = node.get("difficulty");
        if (difficultyNode != null && !difficultyNode.isNull()) {
            if (!difficultyNode.isIntegralNumber() || !difficultyNode.canConvertToInt()) {
                throw new InvalidQuestionFile(where(file, number) + "field 'difficulty' must be an integer, got " + difficultyNode);
            }
            difficulty = difficultyNode.asInt();
        } else {
            difficulty = operationCount(questionNode.asText());
        }
        return new Question(id, questionNode.asText(), answer, difficulty);
    }

    /** The number of operations of a test-bed expression (its difficulty), or null for any other question. */
    private static Integer operationCount(String question) {
        try {
            return ExpressionTree.parse(question).operationCount();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String where(Path file, int line) {
        return file + " line " + line + ": ";
    }
}
