package io.ttsmesh.task.countdown;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/**
 * The numbers still available, in the order the generator is trained to write them: a step removes the first
 * occurrence of a, then the first occurrence of b, and appends c. Immutable.
 */
public final class Pool {

    private final List<Long> numbers;

    private Pool(List<Long> numbers) {
        this.numbers = List.copyOf(numbers);
    }

    public static Pool of(Collection<? extends Number> numbers) {
        List<Long> values = new ArrayList<>(numbers.size());
        for (Number n : numbers) {
            values.add(n.longValue());
        }
        return new Pool(values);
    }

    public List<Long> numbers() {
        return numbers;
    }

    public int size() {
        return numbers.size();
    }

    /**
     * The pool after taking a and b (two distinct entries) and adding c, or null when a or b is not available.
     */
    public Pool apply(long a, long b, long c) {
        List<Long> rest = new ArrayList<>(numbers);
        if (!rest.remove(Long.valueOf(a)) || !rest.remove(Long.valueOf(b))) {
            return null;
        }
        rest.add(c);
        return new Pool(rest);
    }

    /** The same numbers as {@code written}, counting repeats, in any order. */
    public boolean sameMultiset(List<Long> written) {
        return sorted(numbers).equals(sorted(written));
    }

    /** The single number left, if exactly one is. */
    public OptionalLong single() {
        return numbers.size() == 1 ? OptionalLong.of(numbers.getFirst()) : OptionalLong.empty();
    }

    /** The pool as the generator writes it: numbers separated by single spaces. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (long n : numbers) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(n);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text();
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> copy = new ArrayList<>(values);
        copy.sort(null);
        return copy;
    }
}
