package io.ttsmesh.verifier;

import io.ttsmesh.task.Grade;
import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.Task;

import java.util.List;
import java.util.Map;

/**
 * Questions in words with neither a rule checker nor an oracle, as the public PRMs' fixtures ask them: the task
 * such a pod serves, and what rules and oracle must refuse. Not registered on the class path; tests pass it in.
 */
public final class FreeTextTask implements Task {

    @Override
    public String name() {
        return "free-text";
    }

    @Override
    public String description() {
        return "free-text questions, no step labels";
    }

    @Override
    public String canonicalQuestion(String question) {
        if (question == null || question.isBlank()) {
            throw new InvalidQuestion("question", "is empty");
        }
        return question.strip();
    }

    @Override
    public String questionText(Map<String, Object> record) {
        return canonicalQuestion(String.valueOf(record.get("question")));
    }

    @Override
    public String answerKey(String completion) {
        return null;
    }

    @Override
    public Grade grade(String question, String completion, String expectedAnswer) {
        return new Grade(null, false, List.of());
    }
}
