package io.ttsmesh.search.answer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a solution states its final answer and how answers compare. The first match of
 * {@code pattern} in the text is the answer's place; its group 1, canonicalized, is the answer. When
 * that first place holds no valid answer, the solution has none (later matches are not searched, so
 * a model cannot "try again" by writing a second answer line).
 *
 * @param pattern a regular expression with one capturing group
 */
public record AnswerFormat(Pattern pattern, Canonicalizer canonicalizer) {

    /**
     * The test bed (models/train/arith.py): the integer on the first line that starts with {@code A:}
     * once stripped of spaces, tabs and carriage returns.
     */
    public static AnswerFormat testBed() {
        return of("(?m)^[ \\t\\r]*A:(.*)$", Canonicalizer.INTEGER);
    }

    public static AnswerFormat of(String regex, Canonicalizer canonicalizer) {
        Pattern p = Pattern.compile(regex);
        if (p.matcher("").groupCount() < 1) {
            throw new IllegalArgumentException("answer pattern needs a capturing group: " + regex);
        }
        return new AnswerFormat(p, canonicalizer);
    }

    /** The canonical answer stated in {@code text}, or null when it states none. */
    public String extract(CharSequence text) {
        Matcher m = pattern.matcher(text);
        if (!m.find() || m.group(1) == null) {
            return null;
        }
        return canonicalizer.canonical(m.group(1));
    }
}
