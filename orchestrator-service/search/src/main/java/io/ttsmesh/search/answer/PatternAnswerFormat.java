package io.ttsmesh.search.answer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An answer found by a regular expression. The first match of {@code pattern} in the text is the answer's
 * place; its group 1, canonicalized, is the answer. When that first place holds no valid answer, the
 * solution has none (later matches are not searched, so a model cannot "try again" by writing a second
 * answer line).
 *
 * @param pattern a regular expression with one capturing group
 */
public record PatternAnswerFormat(Pattern pattern, Canonicalizer canonicalizer) implements AnswerFormat {

    public static PatternAnswerFormat of(String regex, Canonicalizer canonicalizer) {
        Pattern p = Pattern.compile(regex);
        if (p.matcher("").groupCount() < 1) {
            throw new IllegalArgumentException("answer pattern needs a capturing group: " + regex);
        }
        return new PatternAnswerFormat(p, canonicalizer);
    }

    @Override
    public String extract(CharSequence text) {
        Matcher m = pattern.matcher(text);
        if (!m.find() || m.group(1) == null) {
            return null;
        }
        return canonicalizer.canonical(m.group(1));
    }
}
