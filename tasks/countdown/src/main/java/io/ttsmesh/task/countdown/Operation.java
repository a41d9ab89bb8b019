package io.ttsmesh.task.countdown;

import java.util.OptionalLong;

/** The four Countdown operations. */
public enum Operation {
    PLUS('+'),
    MINUS('-'),
    TIMES('*'),
    DIVIDE('/');

    private final char symbol;

    Operation(char symbol) {
        this.symbol = symbol;
    }

    public char symbol() {
        return symbol;
    }

    /** {@code +} and {@code *}: the vote key writes their smaller operand first. */
    public boolean isCommutative() {
        return this == PLUS || this == TIMES;
    }

    /**
     * The exact result of {@code a op b}, or empty when it is not an integer (a division with a remainder).
     * Callers pass operands that fit an int, so nothing overflows a long.
     */
    public OptionalLong apply(long a, long b) {
        return switch (this) {
            case PLUS -> OptionalLong.of(a + b);
            case MINUS -> OptionalLong.of(a - b);
            case TIMES -> OptionalLong.of(a * b);
            case DIVIDE -> b != 0 && a % b == 0 ? OptionalLong.of(a / b) : OptionalLong.empty();
        };
    }

    /** The operation written {@code c}, or null. */
    public static Operation of(char c) {
        for (Operation op : values()) {
            if (op.symbol == c) {
                return op;
            }
        }
        return null;
    }
}
