package io.ttsmesh.task.math;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.text.Normalizer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vote key of an answer as written: equal answers written differently get the same key, so self-consistency
 * counts them together. Layout is dropped ({@code $}, {@code \( \)}, {@code \left}/{@code \right}, LaTeX spacing,
 * white space, a trailing full stop, {@code \text{...}}/{@code \mathrm{...}}/{@code \boxed{...}} wrappers, degree
 * signs, a leading {@code x =}); {@code \dfrac}/{@code \tfrac} are {@code \frac}. A rational number gets one form:
 * an integer without leading zeros or {@code .0} ({@code 5.0}, {@code 005}, {@code 1,000}, {@code +5}), a
 * terminating decimal without trailing zeros ({@code 1/2}, {@code \frac{1}{2}}, {@code 0.50} are {@code 0.5}), else
 * the reduced fraction {@code p/q} ({@code \frac{2}{6}} is {@code 1/3}). Anything else (an expression, a tuple, a
 * word) is compared as the remaining text.
 */
final class CanonicalAnswer {

    private static final Pattern WRAPPER = Pattern.compile("\\\\(?:text|textbf|textrm|mathrm|mathbf|mbox|boxed|fbox)\\s*\\{");
    private static final Pattern LAYOUT = Pattern.compile(
            "\\\\left(?![a-zA-Z])|\\\\right(?![a-zA-Z])|\\\\[!,;:> ]|\\\\displaystyle|\\\\\\(|\\\\\\)|\\\\\\[|\\\\\\]|[$~]"
                    + "|\\^\\s*\\{?\\s*\\\\circ\\s*\\}?|\u00b0");
    private static final Pattern SHORT_FRAC = Pattern.compile("\\\\frac(\\d)(\\d)");
    private static final Pattern ASSIGNMENT = Pattern.compile("^(?:[a-zA-Z]|\\\\[a-zA-Z]+)=(?=[^=]+$)");
    private static final String INT = "(?:\\d{1,3}(?:,\\d{3})+|\\d+)";
    private static final String DEC = "(?:" + INT + "(?:\\.\\d*)?|\\.\\d+)";
    private static final Pattern DECIMAL = Pattern.compile("([+-]?)(" + DEC + ")");
    private static final Pattern SLASH = Pattern.compile("([+-]?)(" + INT + ")/([+-]?" + INT + ")");
    private static final Pattern FRAC = Pattern.compile("([+-]?)\\\\frac\\{([+-]?" + INT + ")\\}\\{([+-]?" + INT + ")\\}");
    /** Longest digit string read as a number; a longer one stays text (bounds the arithmetic). */
    private static final int MAX_DIGITS = 200;

    private CanonicalAnswer() {
    }

    /** The key, or null when nothing is left. */
    static String of(String written) {
        // One pass can expose more layout (a backslash left beside a removed \left, an x= behind a removed \( ):
        // repeat to the fixed point, so that a key is its own key.
        String key = written;
        for (int pass = 0; pass < 8 && key != null; pass++) {
            String next = once(key);
            if (key.equals(next)) {
                return key;
            }
            key = next;
        }
        return key;
    }

    private static String once(String written) {
        String s = Normalizer.normalize(written, Normalizer.Form.NFC).replace('\u2212', '-').replace('\u2044', '/');
        s = unwrap(s);
        s = LAYOUT.matcher(s).replaceAll("");
        s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("\\%", "%")
                .replace("{,}", ",");
        s = s.replaceAll("\\s+", "");
        s = SHORT_FRAC.matcher(s).replaceAll("\\\\frac{$1}{$2}");
        while (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        s = ASSIGNMENT.matcher(s).replaceFirst("");
        if (s.length() > 2 && s.startsWith("{") && s.endsWith("}") && unwrapsWhole(s)) {
            s = s.substring(1, s.length() - 1);
        }
        String percent = "";
        if (s.endsWith("%")) {
            percent = "%";
            s = s.substring(0, s.length() - 1);
        }
        String number = number(s);
        String key = (number != null ? number : s) + percent;
        return key.isEmpty() ? null : key;
    }

    /** {@code \text{5}} is {@code 5}: every wrapper command replaced by its braced content, innermost last. */
    private static String unwrap(String s) {
        for (int guard = 0; guard < 32; guard++) {
            Matcher m = WRAPPER.matcher(s);
            if (!m.find()) {
                return s;
            }
            int open = m.end() - 1;
            int close = closing(s, open);
            if (close < 0) {
                return s.substring(0, m.start()) + s.substring(m.end());
            }
            s = s.substring(0, m.start()) + s.substring(open + 1, close) + s.substring(close + 1);
        }
        return s;
    }

    private static int closing(String s, int open) {
        int depth = 0;
        for (int j = open; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return j;
            }
        }
        return -1;
    }

    private static boolean unwrapsWhole(String s) {
        return closing(s, 0) == s.length() - 1;
    }

    /** The canonical form of a rational number written as {@code s}, or null when {@code s} is not one. */
    private static String number(String s) {
        if (s.length() > MAX_DIGITS + 8) {
            return null;
        }
        Matcher m = DECIMAL.matcher(s);
        if (m.matches()) {
            BigDecimal d = new BigDecimal(m.group(2).replace(",", "").replaceAll("\\.$", ""));
            return format(m.group(1).equals("-") ? d.negate() : d);
        }
        m = SLASH.matcher(s);
        if (!m.matches()) {
            m = FRAC.matcher(s);
            if (!m.matches()) {
                return null;
            }
        }
        BigInteger p = new BigInteger(m.group(2).replace(",", ""));
        BigInteger q = new BigInteger(m.group(3).replace(",", ""));
        if (q.signum() == 0) {
            return null;
        }
        if (m.group(1).equals("-")) {
            p = p.negate();
        }
        return rational(p, q);
    }

    private static String format(BigDecimal d) {
        if (d.signum() == 0) {
            return "0";
        }
        return d.stripTrailingZeros().toPlainString();
    }

    private static String rational(BigInteger p, BigInteger q) {
        if (q.signum() < 0) {
            p = p.negate();
            q = q.negate();
        }
        BigInteger g = p.gcd(q);
        p = p.divide(g);
        q = q.divide(g);
        if (q.equals(BigInteger.ONE)) {
            return p.toString();
        }
        BigInteger rest = q;
        for (BigInteger f : new BigInteger[] {BigInteger.TWO, BigInteger.valueOf(5)}) {
            while (rest.mod(f).signum() == 0) {
                rest = rest.divide(f);
            }
        }
        if (rest.equals(BigInteger.ONE)) {
            return format(new BigDecimal(p).divide(new BigDecimal(q)));
        }
        return p + "/" + q;
    }
}
