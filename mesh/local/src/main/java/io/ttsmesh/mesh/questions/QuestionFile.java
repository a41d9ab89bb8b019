package io.ttsmesh.mesh.questions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.Task;
import io.ttsmesh.task.TaskRegistry;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Reads a JSONL file of question records, one JSON object per line (blank lines skipped, unknown fields ignored):
 * {@code "task"} (default {@value TaskRegistry#DEFAULT}) names the task, which reads the question from the record
 * ({@link Task#questionText}: arithmetic {@code "question"}, Countdown {@code "numbers"} and {@code "target"});
 * {@code "id"}, {@code "answer"} (in the form the task reads after {@code "A: "}; optional where the task grades
 * without it) and {@code "difficulty"} (else the task's {@link Task#difficulty}) are optional. A file may mix tasks.
 * Every problem is reported with its line and field, before anything runs.
 */
public final class QuestionFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QuestionFile() {
    }

    /** With the tasks on the class path. */
    public static List<Question> read(Path file) {
        return read(file, TaskRegistry.load());
    }

    public static List<Question> read(Path file, TaskRegistry tasks) {
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
                Question q = parse(file, number, line, tasks);
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

    /** The first {@code limit} questions of the file (every line is still checked). */
    public static List<Question> first(Path file, int limit, TaskRegistry tasks) {
        List<Question> all = read(file, tasks);
        return all.subList(0, Math.min(limit, all.size()));
    }

    @SuppressWarnings("unchecked")
    static Question parse(Path file, int number, String line, TaskRegistry tasks) {
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
        JsonNode taskNode = node.get("task");
        String taskName = TaskRegistry.DEFAULT;
        if (taskNode != null && !taskNode.isNull()) {
            if (!taskNode.isTextual() || taskNode.asText().isBlank()) {
                throw new InvalidQuestionFile(where(file, number) + "field 'task' must be a task name, got " + taskNode);
            }
            taskName = taskNode.asText();
        }
        Task task;
        String text;
        try {
            task = tasks.get(taskName);
            text = task.questionText(JSON.convertValue(node, Map.class));
        } catch (InvalidQuestion e) {
            throw new InvalidQuestionFile(where(file, number) + "field '" + e.field() + "': " + e.reason());
        } catch (IllegalArgumentException e) { // a task that refused without naming the field
            throw new InvalidQuestionFile(where(file, number) + "task " + taskName + " cannot read this record: "
                    + e.getMessage());
        }
        String answer = null;
        JsonNode answerNode = node.get("answer");
        if (answerNode != null && !answerNode.isNull()) {
            if (!(answerNode.isTextual() || answerNode.isIntegralNumber())) {
                throw new InvalidQuestionFile(where(file, number) + "field 'answer' must be a string or an integer, got "
                        + answerNode);
            }
            answer = canonicalAnswer(task, answerNode.asText());
            if (answer == null) {
                throw new InvalidQuestionFile(where(file, number) + "field 'answer': '" + answerNode.asText()
                        + "' is not an answer task " + task.name() + " reads (what a solution writes after 'A: ')");
            }
        }
        Integer difficulty;
        JsonNode difficultyNode = node.get("difficulty");
        if (difficultyNode != null && !difficultyNode.isNull()) {
            if (!difficultyNode.isIntegralNumber() || !difficultyNode.canConvertToInt()) {
                throw new InvalidQuestionFile(where(file, number) + "field 'difficulty' must be an integer, got " + difficultyNode);
            }
            difficulty = difficultyNode.asInt();
        } else {
            int d = task.difficulty(text);
            difficulty = d < 0 ? null : d;
        }
        return new Question(id, task.name(), text, answer, difficulty);
    }

    /**
     * The canonical form of a reference answer as the task reads it from an answer line ({@code "A: " + raw}, the
     * answer-line convention every task shares), or null when the task reads no answer there.
     */
    public static String canonicalAnswer(Task task, String raw) {
        if (raw == null || raw.indexOf('\n') >= 0) {
            return null;
        }
        return task.answerKey("A: " + raw);
    }

    /** The first {@code count} questions of the file in an order shuffled by {@code seed}: the same for the same seed. */
    public static List<Question> sample(Path file, int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("--questions must be >= 1, got " + count);
        }
        List<Question> all = new ArrayList<>(read(file));
        if (count > all.size()) {
            throw new IllegalArgumentException("--questions " + count + " exceeds the " + all.size() + " questions of " + file);
        }
        Collections.shuffle(all, new Random(seed));
        return List.copyOf(all.subList(0, count));
    }

    /** The tasks of some questions, in order of first appearance. */
    public static List<String> tasksOf(List<Question> questions) {
        return questions.stream().map(Question::task).distinct().toList();
    }

    private static String where(Path file, int line) {
        return file + " line " + line + ": ";
    }
}
