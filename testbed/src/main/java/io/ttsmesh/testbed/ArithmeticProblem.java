package io.ttsmesh.testbed;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One problem of the task, as in {@code models/eval/heldout.jsonl}.
 *
 * @param id         identifier
 * @param question   the bare expression, e.g. {@code (17+25)*3-14}
 * @param answer     canonical integer string
 * @param difficulty number of operations
 */
public record ArithmeticProblem(String id, String question, String answer, int difficulty) {
    public ArithmeticProblem {
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(answer, "answer");
    }

    /** A problem from its question alone (answer and difficulty computed). */
    public static ArithmeticProblem of(String id, String question) {
        ExpressionTree t = ExpressionTree.parse(question);
        return new ArithmeticProblem(id, question, Long.toString(t.evaluate()), t.operationCount());
    }

    /** The prompt the generator is given. */
    public String prompt() {
        return SolutionFormat.prompt(question);
    }

    /** Canonical solution steps: one per operation, in post-order, e.g. {@code 17+25=42}. */
    public List<String> canonicalSteps() {
        ExpressionTree tree = ExpressionTree.parse(question);
        List<String> steps = new ArrayList<>();
        for (ExpressionTree.Node n : tree.postOrderOperations()) {
            long a = n.left().value();
            long b = n.right().value();
            char op = n.operator().symbol();
            tree.reduce(n);
            steps.add(a + "" + op + b + "=" + n.value());
        }
        return steps;
    }

    /** The canonical completion (without EOS): the steps, then {@code A: <answer>}. */
    public String canonicalCompletion() {
        List<String> lines = new ArrayList<>(canonicalSteps());
        lines.add("A: " + answer);
        return String.join(SolutionFormat.STEP_DELIMITER, lines);
    }
}
