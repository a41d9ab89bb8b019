package io.ttsmesh.search.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The test bed's task for the simulator: an integer expression with + - * and parentheses, solved one
 * operation per line in evaluation order ("17+25=42", "42*3=126", "126-14=112"), then "A: 112".
 */
public final class Arithmetic {

    /** One operation; an operand is a literal (ref < 0, value in lit) or the result of an earlier operation. */
    public record Op(int leftRef, long leftLit, char op, int rightRef, long rightLit) {
    }

    private final String text;
    private int pos;
    private final List<Op> ops = new ArrayList<>();

    private Arithmetic(String text) {
        this.text = text.replace(" ", "");
    }

    /** The operations of {@code expression} in evaluation order. */
    public static List<Op> compile(String expression) {
        Arithmetic a = new Arithmetic(expression);
        a.expr();
        if (a.pos != a.text.length()) {
            throw new IllegalArgumentException("trailing input in " + expression);
        }
        return List.copyOf(a.ops);
    }

    /** The gold solution lines (without delimiters), answer line included. */
    public static List<String> goldSteps(String expression) {
        List<Op> ops = compile(expression);
        long[] values = new long[ops.size()];
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            long l = op.leftRef() >= 0 ? values[op.leftRef()] : op.leftLit();
            long r = op.rightRef() >= 0 ? values[op.rightRef()] : op.rightLit();
            values[i] = apply(l, op.op(), r);
            lines.add(line(l, op.op(), r, values[i]));
        }
        lines.add("A: " + answer(expression));
        return lines;
    }

    public static long answer(String expression) {
        List<Op> ops = compile(expression);
        long[] values = new long[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            values[i] = apply(op.leftRef() >= 0 ? values[op.leftRef()] : op.leftLit(), op.op(),
                    op.rightRef() >= 0 ? values[op.rightRef()] : op.rightLit());
        }
        return values[values.length - 1];
    }

    static long apply(long l, char op, long r) {
        return switch (op) {
            case '+' -> l + r;
            case '-' -> l - r;
            case '*' -> l * r;
            default -> throw new IllegalArgumentException("op " + op);
        };
    }

    static String line(long l, char op, long r, long v) {
        return l + "" + op + r + "=" + v;
    }

    // operand encoding: ref >= 0 is an op index; ref == -1 is a literal
    private long[] expr() {
        long[] left = term();
        while (pos < text.length() && (peek() == '+' || peek() == '-')) {
            char op = text.charAt(pos++);
            long[] right = term();
            left = emit(left, op, right);
        }
        return left;
    }

    private long[] term() {
        long[] left = factor();
        while (pos < text.length() && peek() == '*') {
            pos++;
            long[] right = factor();
            left = emit(left, '*', right);
        }
        return left;
    }

    private long[] factor() {
        if (peek() == '(') {
            pos++;
            long[] inner = expr();
            if (peek() != ')') {
                throw new IllegalArgumentException("missing ) in " + text);
            }
            pos++;
            return inner;
        }
        int start = pos;
        while (pos < text.length() && Character.isDigit(peek())) {
            pos++;
        }
        return new long[] {-1, Long.parseLong(text.substring(start, pos))};
    }

    private long[] emit(long[] left, char op, long[] right) {
        ops.add(new Op((int) left[0], left[1], op, (int) right[0], right[1]));
        return new long[] {ops.size() - 1, 0};
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }
}
