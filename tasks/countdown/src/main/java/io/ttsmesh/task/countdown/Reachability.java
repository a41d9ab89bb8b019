package io.ttsmesh.task.countdown;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The exhaustive Countdown solver: can a pool be reduced, one step at a time under the rules' value limits (integer
 * results in 1..99, exact division), to the single number {@code target}? Memoized over the sorted pool, since the
 * order of a pool does not change what it can reach.
 *
 * <p>Used ONLY by the oracle ({@link CountdownOracle}), which may solve the question: upper bounds and PRM training
 * labels. Never by the rule checker, a grader of accuracy or anything that picks answers. Not thread-safe (its memo);
 * make one per question.
 */
public final class Reachability {

    private final long target;
    private final Map<String, Boolean> memo = new HashMap<>();

    public Reachability(long target) {
        this.target = target;
    }

    public long target() {
        return target;
    }

    /** Whether {@code pool} can end as exactly one number, the target. */
    public boolean reachable(List<Long> pool) {
        long[] sorted = pool.stream().mapToLong(Long::longValue).sorted().toArray();
        return reachable(sorted);
    }

    /**
     * One solution from {@code pool}, as step lines with the pools the generator writes (the last line of a
     * solution is the answer line, not included here), or empty when the target cannot be reached.
     */
    public Optional<List<String>> solution(List<Long> pool) {
        List<String> lines = new ArrayList<>();
        return solve(Pool.of(pool), lines) ? Optional.of(lines) : Optional.empty();
    }

    private boolean reachable(long[] sorted) {
        if (sorted.length == 1) {
            return sorted[0] == target;
        }
        String key = Arrays.toString(sorted);
        Boolean known = memo.get(key);
        if (known != null) {
            return known;
        }
        boolean found = false;
        for (int i = 0; i < sorted.length && !found; i++) {
            for (int j = 0; j < sorted.length && !found; j++) {
                if (i == j) {
                    continue;
                }
                for (Operation op : Operation.values()) {
                    OptionalLong c = op.apply(sorted[i], sorted[j]);
                    if (c.isPresent() && CountdownRules.inRange(c.getAsLong())
                            && reachable(replace(sorted, i, j, c.getAsLong()))) {
                        found = true;
                        break;
                    }
                }
            }
        }
        memo.put(key, found);
        return found;
    }

    private boolean solve(Pool pool, List<String> lines) {
        if (pool.size() == 1) {
            return pool.numbers().getFirst() == target;
        }
        if (!reachable(pool.numbers())) {
            return false;
        }
        List<Long> numbers = pool.numbers();
        for (int i = 0; i < numbers.size(); i++) {
            for (int j = 0; j < numbers.size(); j++) {
                if (i == j) {
                    continue;
                }
                long a = numbers.get(i);
                long b = numbers.get(j);
                for (Operation op : Operation.values()) {
                    OptionalLong c = op.apply(a, b);
                    if (c.isEmpty() || !CountdownRules.inRange(c.getAsLong())) {
                        continue;
                    }
                    Pool next = pool.apply(a, b, c.getAsLong());
                    if (reachable(next.numbers())) {
                        lines.add(a + "" + op.symbol() + b + "=" + c.getAsLong() + "; " + next.text());
                        return solve(next, lines);
                    }
                }
            }
        }
        return false;
    }

    private static long[] replace(long[] sorted, int i, int j, long c) {
        long[] next = new long[sorted.length - 1];
        int k = 0;
        for (int x = 0; x < sorted.length; x++) {
            if (x != i && x != j) {
                next[k++] = sorted[x];
            }
        }
        next[k] = c;
        Arrays.sort(next);
        return next;
    }
}
