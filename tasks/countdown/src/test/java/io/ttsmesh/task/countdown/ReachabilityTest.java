package io.ttsmesh.task.countdown;

import static org.assertj.core.api.Assertions.assertThat;

import io.ttsmesh.task.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReachabilityTest {

    @Test
    void knownCases() {
        assertThat(new Reachability(24).reachable(List.of(3L, 7L, 9L, 2L))).isTrue(); // (9+7)*3/2
        assertThat(new Reachability(24).reachable(List.of(3L, 2L, 2L))).isFalse(); // 12 at most
        assertThat(new Reachability(10).reachable(List.of(1L, 1L, 1L))).isFalse();
        assertThat(new Reachability(24).reachable(List.of(24L))).isTrue();
        assertThat(new Reachability(24).reachable(List.of(25L))).isFalse();
        assertThat(new Reachability(24).reachable(List.of(24L, 99L))).as("every number must be used").isFalse();
        assertThat(new Reachability(24).reachable(List.of(24L, 1L))).isTrue();
        // 12*12*12/... products over 99 are not allowed on the way: 12*9=108 cannot be divided back to 36.
        assertThat(new Reachability(36).reachable(List.of(12L, 9L, 3L))).isTrue(); // 9/3*12
        assertThat(new Reachability(99).reachable(List.of(12L, 12L, 12L))).isFalse();
    }

    @Test
    void valueLimitsApplyToIntermediateResults() {
        // 11*10 = 110 is out of range, so 110-11 = 99 is not a way to 99.
        assertThat(new Reachability(99).reachable(List.of(11L, 10L, 11L))).isFalse();
        // 7/2 is not exact, so (7/2)*4 = 14 is not a way; 7*4/2 is.
        assertThat(new Reachability(14).reachable(List.of(7L, 2L, 4L))).isTrue();
        assertThat(new Reachability(98).reachable(List.of(7L, 2L, 7L))).isTrue(); // 7*7*2
        assertThat(new Reachability(15).reachable(List.of(7L, 2L))).isFalse();
    }

    @Test
    void solutionsFollowTheRules() {
        Reachability solver = new Reachability(24);
        List<String> lines = new ArrayList<>(solver.solution(List.of(3L, 7L, 9L, 2L)).orElseThrow());
        lines.add("A: 24");
        assertThat(lines).hasSize(4);
        assertThat(new CountdownRules().labels("3 7 9 2 -> 24", lines)).containsOnly(true);
        assertThat(solver.solution(List.of(3L, 2L, 2L))).isEmpty();
    }

    /** The memoized solver agrees with a plain search on random questions, and its solutions grade correct. */
    @Test
    void agreesWithAPlainSearchOnRandomQuestions() {
        Random random = new Random(7);
        CountdownTask task = new CountdownTask();
        int reachable = 0;
        for (int i = 0; i < 300; i++) {
            int k = 3 + random.nextInt(2);
            List<Long> numbers = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                numbers.add(1L + random.nextInt(12));
            }
            long target = 10 + random.nextInt(90);
            Reachability solver = new Reachability(target);
            boolean expected = plainSearch(numbers, target);
            assertThat(solver.reachable(numbers)).as("%s -> %d", numbers, target).isEqualTo(expected);
            var solution = solver.solution(numbers);
            assertThat(solution.isPresent()).isEqualTo(expected);
            if (expected) {
                reachable++;
                String question = task.canonicalQuestion(Pool.of(numbers).text() + " -> " + target);
                String completion = String.join("\n", solution.get()) + "\nA: " + target;
                assertThat(task.grade(question, completion, null).correct()).as(completion).isTrue();
                assertThat(task.oracle().orElseThrow().labels(question, Task.steps(completion))).containsOnly(true);
            }
        }
        assertThat(reachable).as("both outcomes occur").isBetween(20, 280);
    }

    private static boolean plainSearch(List<Long> pool, long target) {
        if (pool.size() == 1) {
            return pool.getFirst() == target;
        }
        for (int i = 0; i < pool.size(); i++) {
            for (int j = 0; j < pool.size(); j++) {
                if (i == j) {
                    continue;
                }
                for (Operation op : Operation.values()) {
                    OptionalLong c = op.apply(pool.get(i), pool.get(j));
                    if (c.isPresent() && c.getAsLong() >= 1 && c.getAsLong() <= 99) {
                        List<Long> next = new ArrayList<>();
                        for (int x = 0; x < pool.size(); x++) {
                            if (x != i && x != j) {
                                next.add(pool.get(x));
                            }
                        }
                        next.add(c.getAsLong());
                        if (plainSearch(next, target)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }
}
