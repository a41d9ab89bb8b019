package io.ttsmesh.task.countdown;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The grammar of one (stripped) step line: {@code <a><op><b>=<c>; <pool>}, e.g. {@code 9-7=2; 3 2 2}. Numbers are
 * decimal integers without sign or leading zeros, op one of {@code + - * /}, then exactly {@code "; "} and the
 * remaining numbers separated by single spaces.
 *
 * <p>Numbers are kept as written (strings), so a line with absurdly long numbers parses without overflow; the
 * rules compare them through {@link #value(String)}.
 *
 * @param pool the written pool, or null where the line has none (only the vote key reads such lines)
 */
public record StepLine(String a, Operation operation, String b, String c, List<String> pool) {

    static final String NUMBER = "(?:0|[1-9][0-9]*)";
    static final String POOL_SEPARATOR = "; ";
    private static final String HEAD = "(" + NUMBER + ")([-+*/])(" + NUMBER + ")=(" + NUMBER + ")";
    private static final Pattern FULL = Pattern.compile(HEAD + POOL_SEPARATOR + "(" + NUMBER + "(?: " + NUMBER + ")*)");
    private static final Pattern ARITHMETIC = Pattern.compile(HEAD);
    /** Values beyond this many digits are out of every range the rules accept. */
    private static final int MAX_DIGITS = 9;

    public StepLine {
        pool = pool == null ? null : List.copyOf(pool);
    }

    /** The full step line (arithmetic and pool), or null when the line does not match the grammar. */
    public static StepLine parse(String line) {
        Matcher m = FULL.matcher(line);
        if (!m.matches()) {
            return null;
        }
        return new StepLine(m.group(1), Operation.of(m.group(2).charAt(0)), m.group(3), m.group(4),
                List.of(m.group(5).split(" ")));
    }

    /**
     * The {@code a op b = c} part alone, as the vote key reads it: the text before the first {@code "; "} (the whole
     * line when there is none) must be exactly {@code <a><op><b>=<c>}; whatever follows is ignored. Null when it is
     * not.
     */
    public static StepLine parseArithmetic(String line) {
        int separator = line.indexOf(POOL_SEPARATOR);
        String head = separator < 0 ? line : line.substring(0, separator);
        Matcher m = ARITHMETIC.matcher(head);
        if (!m.matches()) {
            return null;
        }
        return new StepLine(m.group(1), Operation.of(m.group(2).charAt(0)), m.group(3), m.group(4), null);
    }

    /** The written pool's values. */
    public List<Long> poolValues() {
        List<Long> out = new ArrayList<>(pool.size());
        for (String n : pool) {
            out.add(value(n));
        }
        return out;
    }

    /** A number as written, or {@link Long#MAX_VALUE} when it is too long to be any value the rules accept. */
    public static long value(String number) {
        return number.length() > MAX_DIGITS ? Long.MAX_VALUE : Long.parseLong(number);
    }

    /** The arithmetic part as the vote key writes it: for {@code +} and {@code *} the smaller operand first. */
    public String normalizedArithmetic() {
        String first = a;
        String second = b;
        if (operation.isCommutative() && compareNumbers(b, a) < 0) {
            first = b;
            second = a;
        }
        return first + operation.symbol() + second + "=" + c;
    }

    /** Numeric order of two numbers written without sign or leading zeros, whatever their length. */
    static int compareNumbers(String x, String y) {
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }
}
