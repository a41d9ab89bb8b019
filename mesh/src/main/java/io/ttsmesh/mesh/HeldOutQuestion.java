package io.ttsmesh.mesh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.Task;
import io.ttsmesh.task.TaskRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One line of a question file, such as models/eval/heldout.jsonl
 * ({@code {"id": "heldout-00000", "question": "53+(50+20)", "answer": "123", "difficulty": 2}}) or
 * models/countdown/eval/heldout.jsonl
 * ({@code {"id": "cd-heldout-0001", "task": "countdown", "numbers": [3, 7, 9, 2], "target": 24, "difficulty": 4}}).
 * The record's task (its {@code task} field; the default task when absent) reads the question from the record.
 *
 * @param task     the task the question belongs to; requests carry it
 * @param question the task's canonical question text
 * @param answer   the reference answer; null when the file has none (then the task's grader decides alone)
 */
public record HeldOutQuestion(String id, String task, String question, String answer) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The first {@code limit} questions of a JSONL file; a line that is not a question of its task is an error naming
     * the line and the field.
     */
    public static List<HeldOutQuestion> read(Path file, int limit, TaskRegistry tasks) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("question file not found: " + file.toAbsolutePath());
        }
        List<HeldOutQuestion> questions = new ArrayList<>();
        try {
            int lineNo = 0;
            for (String line : Files.readAllLines(file)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                if (questions.size() >= limit) {
                    break;
                }
                questions.add(parse(line, file + ":" + lineNo, tasks));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
        return questions;
    }

    /** The tasks of some questions, in order of first appearance. */
    public static List<String> tasksOf(List<HeldOutQuestion> questions) {
        Set<String> tasks = new LinkedHashSet<>();
        questions.forEach(q -> tasks.add(q.task()));
        return List.copyOf(tasks);
    }

    static HeldOutQuestion parse(String line, String where, TaskRegistry tasks) {
        Map<String, Object> record;
        try {
            record = JSON.readValue(line, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not a JSON object: " + e.getOriginalMessage());
        }
        if (record == null) {
            throw new IllegalArgumentException(where + ": not a JSON object");
        }
        String id = text(record.get("id"));
        if (id == null) {
            throw new IllegalArgumentException(where + ": \"id\" is required");
        }
        Object taskName = record.get("task");
        if (taskName != null && !(taskName instanceof String)) {
            throw new IllegalArgumentException(where + ": \"task\" must be a string");
        }
        try {
            Task task = tasks.get((String) taskName);
            return new HeldOutQuestion(id, task.name(), task.questionText(record), text(record.get("answer")));
        } catch (InvalidQuestion e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static String text(Object v) {
        return switch (v) {
            case String s -> s;
            case Integer i -> i.toString();
            case Long l -> l.toString();
            case java.math.BigInteger b -> b.toString();
            case null, default -> null;
        };
    }
}
