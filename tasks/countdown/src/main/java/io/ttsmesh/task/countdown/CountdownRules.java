package io.ttsmesh.task.countdown;

import io.ttsmesh.task.StepRules;
import io.ttsmesh.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The rule checker ({@code rules}): per line, "this line and every line before it break no rule", from the question
 * alone. Exact about validity, silent about whether the target can still be reached (that is the oracle's part).
 *
 * <p>A step line is valid iff it matches {@link StepLine}'s grammar, a and b are two distinct entries of the current
 * pool, c = a op b exactly with c in 1..99, the written pool equals the true remaining pool as a multiset, and, when
 * one number is left, it is the target. The answer line {@code A: <n>} (n written like a step's numbers, without
 * sign or leading zeros) is valid iff exactly one number is left, it is the target and n is the target. Lines are
 * stripped of ASCII space, tab and CR; an empty line is invalid; every line after the first answer line is invalid;
 * once a label is false, every later one is.
 */
public final class CountdownRules implements StepRules {

    public static final long MIN_VALUE = 1;
    public static final long MAX_VALUE = 99;
    static final String ANSWER_PREFIX = "A:";
    private static final Pattern ANSWER = Pattern.compile("A: (" + StepLine.NUMBER + ")");

    /**
     * One checked line.
     *
     * @param valid     the rule label
     * @param poolAfter for a valid step line, the pool it leaves; otherwise null
     */
    public record CheckedLine(boolean valid, Pool poolAfter) {
        static final CheckedLine INVALID = new CheckedLine(false, null);
    }

    @Override
    public List<Boolean> labels(String question, List<String> steps) {
        return check(CountdownQuestion.parse(question), steps).stream().map(CheckedLine::valid).toList();
    }

    /** Checks every line of a (partial) completion of {@code question}. */
    public List<CheckedLine> check(CountdownQuestion question, List<String> lines) {
        List<CheckedLine> out = new ArrayList<>(lines.size());
        Pool pool = Pool.of(question.numbers());
        boolean open = true; // all earlier lines valid and no answer line yet
        for (String raw : lines) {
            if (!open) {
                out.add(CheckedLine.INVALID);
                continue;
            }
            String line = Task.stripLine(raw);
            if (isAnswerLine(line)) {
                out.add(new CheckedLine(answerValid(line, pool, question.target()), null));
                open = false;
                continue;
            }
            Pool next = apply(StepLine.parse(line), pool, question.target());
            if (next == null) {
                out.add(CheckedLine.INVALID);
                open = false;
            } else {
                out.add(new CheckedLine(true, next));
                pool = next;
            }
        }
        return out;
    }

    /** The pool after a valid step, or null when the step breaks a rule (or is not a step line). */
    static Pool apply(StepLine step, Pool pool, long target) {
        if (step == null || pool.size() < 2) {
            return null;
        }
        long a = StepLine.value(step.a());
        long b = StepLine.value(step.b());
        long c = StepLine.value(step.c());
        OptionalLong result = step.operation().apply(a, b);
        if (a > MAX_VALUE || b > MAX_VALUE || result.isEmpty() || result.getAsLong() != c || !inRange(c)) {
            return null;
        }
        Pool next = pool.apply(a, b, c);
        if (next == null || !next.sameMultiset(step.poolValues())) {
            return null;
        }
        if (next.size() == 1 && c != target) {
            return null;
        }
        return next;
    }

    static boolean inRange(long value) {
        return value >= MIN_VALUE && value <= MAX_VALUE;
    }

    private static boolean answerValid(String line, Pool pool, long target) {
        var m = ANSWER.matcher(line);
        if (!m.matches()) {
            return false;
        }
        OptionalLong left = pool.single();
        return left.isPresent() && left.getAsLong() == target && m.group(1).equals(Long.toString(target));
    }

    /** A line that starts with {@code A:} (after stripping): the answer line, well formed or not. */
    static boolean isAnswerLine(String strippedLine) {
        return strippedLine.startsWith(ANSWER_PREFIX);
    }

}
