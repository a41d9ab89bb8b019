package io.ttsmesh.task.math;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a completion states its answer, as written (before {@link CanonicalAnswer}): the content of the last
 * complete {@code \boxed{...}} (braces balanced; {@code \fbox} too), else what follows the last "answer is", else
 * the last number of the last non-blank line.
 */
final class AnswerText {

    private static final Pattern BOXED = Pattern.compile("\\\\(?:boxed|fbox)(?![A-Za-z])");
    private static final Pattern ANSWER_IS = Pattern.compile("(?i)answer\\s+is\\b\\s*:?");
    private static final Pattern MATH_SPAN = Pattern.compile("\\$\\$?([^$]+)\\$\\$?|\\\\\\((.+?)\\\\\\)");
    /** A number: a LaTeX fraction of integers, or a signed integer or decimal (with thousands commas), or a/b. */
    static final Pattern NUMBER = Pattern.compile(
            "(?:(?<![\\w)\\]}])[-\u2212+])?\\\\[dt]?frac\\{\\s*-?\\d+\\s*\\}\\{\\s*-?\\d+\\s*\\}"
                    + "|(?:(?<![\\w)\\]}])[-\u2212+])?(?:\\d{1,3}(?:,\\d{3})+(?!\\d)|\\d+)(?:\\.\\d+)?(?:\\s*/\\s*\\d+(?![.\\d]))?"
                    + "|(?:(?<![\\w)\\]}])[-\u2212])?\\.\\d+");

    private AnswerText() {
    }

    /** The answer as written, or null when the completion states none. */
    static String of(String completion) {
        if (completion == null || completion.isBlank()) {
            return null;
        }
        String boxed = lastBoxed(completion);
        if (boxed != null) {
            return boxed;
        }
        String afterAnswerIs = afterLastAnswerIs(completion);
        if (afterAnswerIs != null) {
            return afterAnswerIs;
        }
        return lastNumberOfLastLine(completion);
    }

    /** The content of the last complete boxed group; an unclosed one (a cut-off completion) is passed over. */
    static String lastBoxed(String text) {
        Matcher m = BOXED.matcher(text);
        String last = null;
        while (m.find()) {
            String content = group(text, m.end());
            if (content != null) {
                last = content;
            }
        }
        return last;
    }

    /** The balanced {...} group starting at {@code from} (white space before it skipped), or a bare token. */
    private static String group(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        if (i >= text.length()) {
            return null;
        }
        if (text.charAt(i) != '{') {
            // \boxed 5: TeX takes the next token
            int end = i;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '$') {
                end++;
            }
            return end > i && text.charAt(i) != '}' ? text.substring(i, end) : null;
        }
        int depth = 0;
        for (int j = i; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '\\' && j + 1 < text.length()) {
                j++; // an escaped brace \{ does not open or close a group
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return text.substring(i + 1, j);
            }
        }
        return null;
    }

    private static String afterLastAnswerIs(String text) {
        Matcher m = ANSWER_IS.matcher(text);
        int end = -1;
        while (m.find()) {
            end = m.end();
        }
        if (end < 0) {
            return null;
        }
        String rest = text.substring(end).stripLeading();
        int newline = rest.indexOf('\n');
        String line = newline < 0 ? rest : rest.substring(0, newline);
        Matcher math = MATH_SPAN.matcher(line);
        if (math.find()) {
            return math.group(1) != null ? math.group(1) : math.group(2);
        }
        Matcher number = NUMBER.matcher(line);
        return number.find() ? number.group() : null;
    }

    private static String lastNumberOfLastLine(String text) {
        String[] lines = text.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                Matcher m = NUMBER.matcher(lines[i]);
                String last = null;
                while (m.find()) {
                    last = m.group();
                }
                return last;
            }
        }
        return null;
    }
}
