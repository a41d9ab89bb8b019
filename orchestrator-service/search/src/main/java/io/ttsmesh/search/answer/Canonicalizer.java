package io.ttsmesh.search.answer;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the raw text of an answer into its canonical form, so that equal answers vote together; null
 * when the text is not an answer of this kind.
 */
public enum Canonicalizer {
    /**
     * An integer, surrounded by nothing but spaces, tabs and carriage returns: no sign for positives, no
     * leading zeros, "-0" is "0" (the test bed's grader).
     */
    INTEGER {
        private static final Pattern INT = Pattern.compile("[+-]?[0-9]+");

        @Override
        public String canonical(String raw) {
            String s = raw.replaceAll("^[ \\t\\r]+|[ \\t\\r]+$", "");
            if (!INT.matcher(s).matches()) {
                return null;
            }
            boolean negative = s.charAt(0) == '-';
            String digits = s.replaceFirst("^[+-]", "").replaceFirst("^0+(?=.)", "");
            return negative && !digits.equals("0") ? "-" + digits : digits;
        }
    },
    /** A decimal number, trailing zeros dropped ("2.50" and "2.5" agree). */
    NUMBER {
        @Override
        public String canonical(String raw) {
            try {
                BigDecimal d = new BigDecimal(raw.strip().replaceFirst("^\\+", ""));
                return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
            } catch (NumberFormatException e) {
                return null;
            }
        }
    },
    /** Free text: trimmed, inner whitespace collapsed, lower case; empty text is no answer. */
    TEXT {
        @Override
        public String canonical(String raw) {
            String s = raw.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
            return s.isEmpty() ? null : s;
        }
    };

    public abstract String canonical(String raw);

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Canonicalizer parse(String name) {
        for (Canonicalizer c : values()) {
            if (c.wireName().equalsIgnoreCase(name.strip())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown canonicalizer '" + name + "' (integer, number, text)");
    }
}
