package io.ttsmesh.testbed;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Step labels: "this line and every line before it are correct".
 *
 * <p>Walks the (stripped) lines with the current expression tree, starting from the question:
 * <ul>
 *   <li>a step line {@code <a><op><b>=<c>} (canonical integers: {@code -?(0|[1-9][0-9]*)}, never
 *       {@code -0}) is correct iff all earlier lines are, and some operation node whose operands are
 *       both numbers has that operator and the operands {@code a, b} in that order, and {@code c} is
 *       the exact result; the FIRST such node in post-order is then reduced;</li>
 *   <li>an answer line ({@code A:...}) is correct iff all earlier lines are, the tree is fully reduced
 *       and the line's value equals it; nothing after an answer line is correct;</li>
 *   <li>anything else is malformed, so incorrect.</li>
 * </ul>
 * Any valid evaluation order is accepted, not only the canonical one.
 */
public final class StepChecker {
    private static final String NUM = "-?(?:0|[1-9][0-9]*)";
    private static final Pattern STEP = Pattern.compile("(" + NUM + ")([-+*])(" + NUM + ")=(" + NUM + ")");
    /** Longer numbers cannot be values of this task; rejecting them avoids overflow. */
    private static final int MAX_DIGITS = 18;

    /** A well-formed step {@code a op b = c}. */
    public record Step(long a, Operator operator, long b, long c) {
        @Override
        public String toString() {
            return a + "" + operator.symbol() + b + "=" + c;
        }
    }

    private StepChecker() {
    }

    /** Parses a stripped step line, or returns null when it is malformed. */
    public static Step parse(String line) {
        Matcher m = STEP.matcher(line);
        if (!m.matches()) {
            return null;
        }
        String[] nums = {m.group(1), m.group(3), m.group(4)};
        for (String n : nums) {
            if (n.equals("-0") || n.replace("-", "").length() > MAX_DIGITS) {
                return null;
            }
        }
        return new Step(Long.parseLong(nums[0]), Operator.of(m.group(2).charAt(0)),
                Long.parseLong(nums[1]), Long.parseLong(nums[2]));
    }

    /** Labels of already split and stripped lines (see {@link SolutionFormat#lines}). */
    public static List<Boolean> labels(String question, List<String> lines) {
        ExpressionTree tree = ExpressionTree.parse(question);
        List<Boolean> labels = new ArrayList<>(lines.size());
        boolean ok = true;
        for (String line : lines) {
            if (!ok) {
                labels.add(false);
                continue;
            }
            if (SolutionFormat.isAnswerLine(line)) {
                String v = AnswerExtractor.answerValue(line);
                ok = tree.isReduced() && v != null && v.equals(Long.toString(tree.evaluate()));
                labels.add(ok);
                ok = false; // a solution ends at its first answer line
                continue;
            }
            ok = apply(tree, parse(line));
            labels.add(ok);
        }
        return labels;
    }

    /** Applies a step to the tree if it is correct there; returns whether it was. */
    public static boolean apply(ExpressionTree tree, Step step) {
        if (step == null) {
            return false;
        }
        for (ExpressionTree.Node n : tree.postOrderOperations()) {
            if (n.isReady() && n.operator() == step.operator()
                    && n.left().value() == step.a() && n.right().value() == step.b()) {
                if (step.operator().apply(step.a(), step.b()) != step.c()) {
                    return false;
                }
                tree.reduce(n);
                return true;
            }
        }
        return false;
    }
}
