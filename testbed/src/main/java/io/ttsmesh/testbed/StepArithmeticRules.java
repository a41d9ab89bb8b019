package io.ttsmesh.testbed;

import io.ttsmesh.task.StepRules;
import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic task's rule checker ({@code rules}): judges each line by itself, never by the expression. A step
 * line is valid when it matches the step grammar ({@link StepChecker#parse}) and its own arithmetic is right
 * ({@code a op b == c} in exact long arithmetic); the answer line is valid when its value ({@link
 * AnswerExtractor#answerValue}) equals the previous step's result, and is rejected when no step precedes it. Nothing
 * after the answer line is valid; once a label is false every later one is.
 *
 * <p>Weaker than the oracle ({@link StepChecker}): it does not know whether the operands are the right ones (that
 * they are numbers of the expression, or results of earlier steps, reduced in an order the expression allows), so a
 * line it accepts can still be wrong. Everything the oracle accepts after at least one step, it accepts too.
 */
public final class StepArithmeticRules implements StepRules {

    @Override
    public List<Boolean> labels(String question, List<String> steps) {
        List<Boolean> out = new ArrayList<>(steps.size());
        boolean open = true; // every earlier line valid and no answer line yet
        String previousResult = null;
        for (String raw : steps) {
            if (!open) {
                out.add(false);
                continue;
            }
            String line = SolutionFormat.strip(raw);
            if (SolutionFormat.isAnswerLine(line)) {
                String value = AnswerExtractor.answerValue(line);
                out.add(previousResult != null && previousResult.equals(value));
                open = false;
                continue;
            }
            StepChecker.Step step = StepChecker.parse(line);
            open = step != null && arithmeticHolds(step);
            out.add(open);
            if (open) {
                previousResult = Long.toString(step.c());
            }
        }
        return out;
    }

    /** {@code a op b == c}, where a result that overflows a long is simply wrong. */
    static boolean arithmeticHolds(StepChecker.Step step) {
        try {
            long result = switch (step.operator()) {
                case PLUS -> Math.addExact(step.a(), step.b());
                case MINUS -> Math.subtractExact(step.a(), step.b());
                case TIMES -> Math.multiplyExact(step.a(), step.b());
            };
            return result == step.c();
        } catch (ArithmeticException overflow) {
            return false;
        }
    }
}
