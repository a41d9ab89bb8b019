package io.ttsmesh.task.math;

import io.ttsmesh.task.Grade;
import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.StepRules;
import io.ttsmesh.task.Task;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Free-text math questions for real models (Qwen2.5-Math, Llama-3 and the like): the question is any text (at most
 * 4,000 characters, NFC, trimmed), the model writes its own steps (the mesh's step delimiter, e.g. a blank line)
 * and states its answer in {@code \boxed{...}}. The answer key is the last complete {@code \boxed{...}}, else the
 * number after the last "answer is", else the last number of the last line, canonicalized so that equal answers
 * written differently ({@code 1/2}, {@code \frac{1}{2}}, {@code 0.5}; {@code 5.0}, {@code $5$}) vote together.
 *
 * <p>No rule checker and no oracle: whether a step of free text is right is what the PRM judges, so the verifiers
 * {@code rules} and {@code oracle} refuse this task (the orchestrator at validation, the verifier pod per call).
 */
public final class MathTask implements Task {

    public static final String NAME = "math";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Math in free text, e.g. 'What is the sum of the first 10 odd numbers?'; the answer in \\boxed{} "
                + "(at most " + MathQuestion.MAX_CHARS + " characters; no rule checker, no oracle)";
    }

    @Override
    public String canonicalQuestion(String question) {
        return MathQuestion.canonical(question);
    }

    /** A record's {@code question} (or {@code problem}, as the MATH data set names it). */
    @Override
    public String questionText(Map<String, Object> record) {
        Object q = record.containsKey("question") ? record.get("question") : record.get("problem");
        if (q == null) {
            throw new InvalidQuestion("question", "required: a string field 'question' (or 'problem')");
        }
        if (!(q instanceof String text)) {
            throw new InvalidQuestion("question", "must be a string, got " + q.getClass().getSimpleName());
        }
        return MathQuestion.canonical(text);
    }

    @Override
    public String answerKey(String completion) {
        return CanonicalAnswer.of(AnswerText.of(completion));
    }

    /**
     * Right when the completion's key equals the reference's: {@code expectedAnswer} as written (canonicalized the
     * same way), or, when it is a whole solution, its last {@code \boxed{...}}. Without a reference nothing is right
     * (this task cannot compute answers). No step labels: the task has none.
     */
    @Override
    public Grade grade(String question, String completion, String expectedAnswer) {
        String answer = answerKey(completion);
        String expected = referenceKey(expectedAnswer);
        return new Grade(answer, answer != null && answer.equals(expected), List.of());
    }

    /** The key of a reference answer (a bare answer, or a solution with a boxed one), or null when none is given. */
    public static String referenceKey(String expectedAnswer) {
        if (expectedAnswer == null || expectedAnswer.isBlank()) {
            return null;
        }
        String boxed = AnswerText.lastBoxed(expectedAnswer);
        return CanonicalAnswer.of(boxed != null ? boxed : expectedAnswer);
    }

    /** None: a free-text step has no rules to check. */
    @Override
    public Optional<StepRules> rules() {
        return Optional.empty();
    }

    /** None: the task cannot solve its questions. */
    @Override
    public Optional<StepRules> oracle() {
        return Optional.empty();
    }
}
