package io.ttsmesh.testbed;

import java.util.List;

/**
 * Grades a completion (the text the generator wrote after {@code "Q: <question>\n"}, EOS removed)
 * against a problem. Used only to grade, never to choose among candidates. The Python reference is
 * {@code models/train/arith.py}; both agree on {@code models/eval/grader-fixtures.jsonl}.
 */
public final class Grader {

    private Grader() {
    }

    public static GradeResult grade(ArithmeticProblem problem, String completion) {
        return grade(problem.question(), problem.answer(), completion);
    }

    /** @param answer the problem's canonical answer; null to compute it from the question */
    public static GradeResult grade(String question, String answer, String completion) {
        String expected = answer != null ? answer : Long.toString(ExpressionTree.parse(question).evaluate());
        List<String> lines = SolutionFormat.lines(completion);
        List<Boolean> labels = StepChecker.labels(question, lines);
        String extracted = AnswerExtractor.extract(completion);
        boolean solutionCorrect = !labels.isEmpty() && labels.get(labels.size() - 1)
                && SolutionFormat.isAnswerLine(lines.get(lines.size() - 1));
        return new GradeResult(lines, labels, extracted, extracted != null && extracted.equals(expected),
                solutionCorrect);
    }

    /** Whether the completion's canonical answer is right (the only thing accuracy counts). */
    public static boolean isCorrect(ArithmeticProblem problem, String completion) {
        String a = AnswerExtractor.extract(completion);
        return a != null && a.equals(problem.answer());
    }
}
