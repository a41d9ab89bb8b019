package io.ttsmesh.task.math;

import io.ttsmesh.task.InvalidQuestion;

import java.text.Normalizer;

/**
 * A free-text question as the math task accepts it: any text that is not blank, at most {@link #MAX_CHARS}
 * characters once normalized. Canonical form: Unicode NFC, line breaks as {@code \n}, leading and trailing white
 * space removed; nothing else is touched (the model reads the question as the user wrote it).
 */
final class MathQuestion {

    /** The longest canonical question (UTF-16 chars), the same as the orchestrator's default question limit. */
    static final int MAX_CHARS = 4000;

    private MathQuestion() {
    }

    /**
     * @throws InvalidQuestion on field "question": null or blank, too long, or holding control characters other
     *                         than tab and line breaks
     */
    static String canonical(String question) {
        if (question == null || question.isBlank()) {
            throw new InvalidQuestion("question", "must not be empty (write the question as text, e.g. "
                    + "'What is the sum of the first 10 odd numbers?')");
        }
        String text = Normalizer.normalize(question, Normalizer.Form.NFC).replace("\r\n", "\n").replace('\r', '\n')
                .strip();
        if (text.isEmpty()) {
            throw new InvalidQuestion("question", "must not be empty (it holds only white space)");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                throw new InvalidQuestion("question", String.format("control character U+%04X at offset %d "
                        + "(only tab and line breaks are accepted)", (int) c, i));
            }
        }
        if (text.length() > MAX_CHARS) {
            throw new InvalidQuestion("question", "is " + text.length() + " characters long; the math task accepts at most "
                    + MAX_CHARS);
        }
        return text;
    }
}
