package io.ttsmesh.mesh;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of a question file such as models/eval/heldout.jsonl:
 * {@code {"id": "heldout-00000", "question": "53+(50+20)", "answer": "123", "difficulty": 2}}.
 *
 * @param answer the reference answer; null when the file has none (then the grader computes it)
 */
public record HeldOutQuestion(String id, String question, String answer) {

    /** The first {@code limit} questions of a JSONL file; a line without id or question is an error naming the line. */
    public static List<HeldOutQuestion> read(Path file, int limit) {
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
                questions.add(parse(line, file + ":" + lineNo));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
        return questions;
    }

    static HeldOutQuestion parse(String line, String where) {
        Struct.Builder json = Struct.newBuilder();
        try {
            JsonFormat.parser().merge(line, json);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(where + ": not a JSON object: " + e.getMessage());
        }
        String id = text(json, "id");
        String question = text(json, "question");
        if (id == null || question == null) {
            throw new IllegalArgumentException(where + ": \"id\" and \"question\" are required");
        }
        return new HeldOutQuestion(id, question, text(json, "answer"));
    }

    private static String text(Struct.Builder json, String field) {
        Value v = json.getFieldsMap().get(field);
        if (v == null) {
            return null;
        }
        return switch (v.getKindCase()) {
            case STRING_VALUE -> v.getStringValue();
            case NUMBER_VALUE -> Long.toString((long) v.getNumberValue());
            default -> null;
        };
    }
}
