package io.ttsmesh.testbed;

/** The three operations of the arithmetic task, with their precedence. */
public enum Operator {
    PLUS('+', 1),
    MINUS('-', 1),
    TIMES('*', 2);

    private final char symbol;
    private final int precedence;

    Operator(char symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    public char symbol() {
        return symbol;
    }

    public int precedence() {
        return precedence;
    }

    public long apply(long a, long b) {
        return switch (this) {
            case PLUS -> a + b;
            case MINUS -> a - b;
            case TIMES -> a * b;
        };
    }

    /** The operator written as {@code c}, or null. */
    public static Operator of(char c) {
        for (Operator op : values()) {
            if (op.symbol == c) {
                return op;
            }
        }
        return null;
    }
}
