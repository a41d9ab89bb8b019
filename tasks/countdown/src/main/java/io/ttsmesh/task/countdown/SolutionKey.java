package io.ttsmesh.task.countdown;

import io.ttsmesh.task.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The vote key of a completion, from its text alone: its steps, each normalised ({@code +} and {@code *} with the
 * smaller operand first) and written {@code a<op>b=c}, sorted and joined by {@code ,} — so the same steps in another
 * order are the same solution. Only the {@code a op b = c} part of a step counts (the pool is ignored).
 *
 * <p>Null when there is no answer line (a line starting with {@code A:}), no step before it, or a line before it
 * that is not a step.
 */
public final class SolutionKey {

    private SolutionKey() {
    }

    public static String of(String completion) {
        List<String> steps = new ArrayList<>();
        for (String raw : completion.split("\n", -1)) {
            String line = Task.stripLine(raw);
            if (CountdownRules.isAnswerLine(line)) {
                if (steps.isEmpty()) {
                    return null;
                }
                steps.sort(null);
                return String.join(",", steps);
            }
            StepLine step = StepLine.parseArithmetic(line);
            if (step == null) {
                return null;
            }
            steps.add(step.normalizedArithmetic());
        }
        return null;
    }
}
