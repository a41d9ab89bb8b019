package io.ttsmesh.testbed;

import java.util.regex.Pattern;

/**
 * Final-answer extraction and canonicalization.
 *
 * <p>The answer is the integer on the FIRST line (after stripping) that starts with {@code A:}: the
 * rest of that line, stripped of ASCII space/tab/CR, must match {@code [+-]?[0-9]+} entirely.
 * Canonical form: decimal without {@code +} sign or leading zeros, {@code -0} becomes {@code 0}
 * (string operations, so no overflow). No answer line, or a malformed first answer line: null.
 */
public final class AnswerExtractor {
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");

    private AnswerExtractor() {
    }

    /** Canonical answer of a completion, or null. */
    public static String extract(String completion) {
        for (String line : SolutionFormat.lines(completion)) {
            if (SolutionFormat.isAnswerLine(line)) {
                return answerValue(line);
            }
        }
        return null;
    }

    /** Canonical value of an answer line ({@code A: ...}), or null when malformed. */
    public static String answerValue(String answerLine) {
        return canonicalInteger(SolutionFormat.strip(answerLine.substring(SolutionFormat.ANSWER_PREFIX.length())));
    }

    /** Canonical form of {@code [+-]?[0-9]+}, or null for anything else. */
    public static String canonicalInteger(String text) {
        if (text == null || !INTEGER.matcher(text).matches()) {
            return null;
        }
        boolean negative = text.charAt(0) == '-';
        int i = (text.charAt(0) == '-' || text.charAt(0) == '+') ? 1 : 0;
        while (i < text.length() && text.charAt(i) == '0') {
            i++;
        }
        String digits = text.substring(i);
        if (digits.isEmpty()) {
            return "0";
        }
        return negative ? "-" + digits : digits;
    }
}
