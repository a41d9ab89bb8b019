package io.ttsmesh.testbed;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Draws problems with the rules of {@code models/train/arith.py}: 2 to 5 operations, literals of
 * {@code +}/{@code -} in 1..99, one factor of every {@code *} a literal in 2..12, every intermediate
 * value within -9999..9999, minimal parentheses. Same distribution as the Python reference, but not
 * the same random stream: the Python generator is the reference for the committed sets.
 */
public final class ProblemGenerator {
    public static final int MIN_OPERATIONS = 2;
    public static final int MAX_OPERATIONS = 5;
    public static final long VALUE_LIMIT = 9999;

    private final Random random;

    public ProblemGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** One problem with exactly {@code operations} operations. */
    public ArithmeticProblem next(String id, int operations) {
        while (true) {
            ExpressionTree tree = randomTree(operations);
            if (withinLimits(tree.root())) {
                return ArithmeticProblem.of(id, tree.render());
            }
        }
    }

    /** {@code n} distinct problems, difficulties 2..5 in round robin. */
    public List<ArithmeticProblem> problemSet(int n, String prefix) {
        List<ArithmeticProblem> out = new ArrayList<>(n);
        Set<String> seen = new HashSet<>();
        while (out.size() < n) {
            int d = MIN_OPERATIONS + out.size() % (MAX_OPERATIONS - MIN_OPERATIONS + 1);
            ArithmeticProblem p = next(String.format("%s-%05d", prefix, out.size()), d);
            if (seen.add(p.question())) {
                out.add(p);
            }
        }
        return out;
    }

    private ExpressionTree randomTree(int ops) {
        if (ops == 0) {
            return ExpressionTree.number(1 + random.nextInt(99));
        }
        Operator op = Operator.values()[random.nextInt(3)];
        if (op == Operator.TIMES) {
            ExpressionTree small = ExpressionTree.number(2 + random.nextInt(11));
            ExpressionTree other = randomTree(ops - 1);
            return random.nextBoolean() ? ExpressionTree.operation(op, small, other)
                    : ExpressionTree.operation(op, other, small);
        }
        int nLeft = random.nextInt(ops);
        ExpressionTree left = randomTree(nLeft);
        return ExpressionTree.operation(op, left, randomTree(ops - 1 - nLeft));
    }

    private static boolean withinLimits(ExpressionTree.Node n) {
        if (n.isNumber()) {
            return true;
        }
        if (!withinLimits(n.left()) || !withinLimits(n.right())) {
            return false;
        }
        return Math.abs(value(n)) <= VALUE_LIMIT;
    }

    private static long value(ExpressionTree.Node n) {
        return n.isNumber() ? n.value() : n.operator().apply(value(n.left()), value(n.right()));
    }
}
