package io.ttsmesh.task.countdown;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.task.InvalidQuestion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Countdown question: reach {@link #target()} from {@link #numbers()} (kept in the order given).
 *
 * <p>Canonical text: the numbers separated by one space, {@code " -> "}, the target, e.g. {@code 3 7 9 2 -> 24}.
 * {@link #parse} also accepts that form with extra ASCII whitespace, and a JSON object text
 * {@code {"numbers":[3,7,9,2],"target":24}}.
 */
public record CountdownQuestion(List<Integer> numbers, int target) {

    public static final int MIN_NUMBERS = 3;
    public static final int MAX_NUMBERS = 5;
    public static final int MIN_NUMBER = 1;
    public static final int MAX_NUMBER = 12;
    public static final int MIN_TARGET = 10;
    public static final int MAX_TARGET = 99;

    static final String ARROW = "->";
    private static final Pattern ASCII_WHITESPACE = Pattern.compile("[ \t\n\r\f\u000B]+");
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public CountdownQuestion {
        numbers = List.copyOf(numbers);
    }

    /**
     * Parses and validates a question as a client wrote it.
     *
     * @throws InvalidQuestion on "question" (unparseable), "question.numbers" or "question.target"
     */
    public static CountdownQuestion parse(String text) {
        if (text == null) {
            throw new InvalidQuestion("question", "missing");
        }
        String s = stripAscii(text);
        if (s.startsWith("{")) {
            return parseJson(s);
        }
        int arrow = s.indexOf(ARROW);
        if (arrow < 0 || s.indexOf(ARROW, arrow + 1) >= 0) {
            throw new InvalidQuestion("question", "expected numbers, '->' and a target, e.g. '3 7 9 2 -> 24'"
                    + " (or {\"numbers\":[3,7,9,2],\"target\":24}), got '" + abbreviate(text) + "'");
        }
        String left = stripAscii(s.substring(0, arrow));
        String right = stripAscii(s.substring(arrow + ARROW.length()));
        List<Integer> numbers = new ArrayList<>();
        if (!left.isEmpty()) {
            for (String token : ASCII_WHITESPACE.split(left)) {
                numbers.add(integer(token, "question.numbers", "number"));
            }
        }
        return of(numbers, integer(right, "question.target", "target"), "question.numbers", "question.target");
    }

    /**
     * The question of one question-file record ({@code numbers}: a list of integers, {@code target}: an integer).
     *
     * @throws InvalidQuestion on "numbers" or "target"
     */
    public static CountdownQuestion fromRecord(Map<String, Object> record) {
        Object numbers = record.get("numbers");
        if (!(numbers instanceof List<?> list)) {
            throw new InvalidQuestion("numbers", numbers == null ? "missing" : "must be a list of integers");
        }
        List<Integer> values = new ArrayList<>(list.size());
        for (Object n : list) {
            values.add(integer(n, "numbers", "number"));
        }
        return of(values, integer(record.get("target"), "target", "target"), "numbers", "target");
    }

    /** Validates the ranges, naming {@code numbersField} or {@code targetField} when one is out of them. */
    static CountdownQuestion of(List<Integer> numbers, int target, String numbersField, String targetField) {
        if (numbers.size() < MIN_NUMBERS || numbers.size() > MAX_NUMBERS) {
            throw new InvalidQuestion(numbersField, "must hold " + MIN_NUMBERS + " to " + MAX_NUMBERS
                    + " numbers, got " + numbers.size());
        }
        for (int n : numbers) {
            if (n < MIN_NUMBER || n > MAX_NUMBER) {
                throw new InvalidQuestion(numbersField, "every number must be an integer " + MIN_NUMBER + ".."
                        + MAX_NUMBER + ", got " + n);
            }
        }
        if (target < MIN_TARGET || target > MAX_TARGET) {
            throw new InvalidQuestion(targetField, "must be an integer " + MIN_TARGET + ".." + MAX_TARGET
                    + ", got " + target);
        }
        return new CountdownQuestion(numbers, target);
    }

    /** The canonical text, e.g. {@code 3 7 9 2 -> 24}. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (int n : numbers) {
            sb.append(n).append(' ');
        }
        return sb.append(ARROW).append(' ').append(target).toString();
    }

    @Override
    public String toString() {
        return text();
    }

    private static CountdownQuestion parseJson(String s) {
        JsonNode root;
        try {
            root = JSON.readTree(s);
        } catch (JsonProcessingException e) {
            throw new InvalidQuestion("question", "not a valid JSON object: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidQuestion("question", "not a valid JSON object");
        }
        JsonNode numbers = root.get("numbers");
        if (numbers == null || !numbers.isArray()) {
            throw new InvalidQuestion("question.numbers", numbers == null ? "missing" : "must be a list of integers");
        }
        List<Integer> values = new ArrayList<>(numbers.size());
        for (JsonNode n : numbers) {
            values.add(integer(n, "question.numbers", "number"));
        }
        return of(values, integer(root.get("target"), "question.target", "target"),
                "question.numbers", "question.target");
    }

    private static int integer(JsonNode node, String field, String what) {
        if (node == null || node.isNull()) {
            throw new InvalidQuestion(field, "missing");
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new InvalidQuestion(field, "every " + what + " must be an integer, got " + abbreviate(node.toString()));
        }
        return node.intValue();
    }

    private static int integer(Object value, String field, String what) {
        if (value == null) {
            throw new InvalidQuestion(field, "missing");
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            long v = ((Number) value).longValue();
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        }
        if (value instanceof java.math.BigInteger b) {
            return b.signum() < 0 ? Integer.MIN_VALUE : b.bitLength() < 32 ? b.intValue() : Integer.MAX_VALUE;
        }
        throw new InvalidQuestion(field, "every " + what + " must be an integer, got " + abbreviate(String.valueOf(value)));
    }

    private static int integer(String token, String field, String what) {
        if (token.isEmpty()) {
            throw new InvalidQuestion(field, "missing");
        }
        if (!INTEGER.matcher(token).matches()) {
            throw new InvalidQuestion(field, "every " + what + " must be an integer, got '" + abbreviate(token) + "'");
        }
        // Out-of-range values only need to stay out of range: clamp instead of overflowing.
        String digits = token.replaceFirst("^[+-]", "").replaceFirst("^0+(?=.)", "");
        boolean negative = token.startsWith("-");
        if (digits.length() > 9) {
            return negative ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
        int v = Integer.parseInt(digits);
        return negative ? -v : v;
    }

    static String stripAscii(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isAsciiWhitespace(s.charAt(a))) {
            a++;
        }
        while (b > a && isAsciiWhitespace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    private static boolean isAsciiWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
