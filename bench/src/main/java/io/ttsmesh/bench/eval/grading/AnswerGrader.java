package io.ttsmesh.bench.eval.grading;

import io.ttsmesh.testbed.AnswerExtractor;
import io.ttsmesh.testbed.SolutionFormat;

/**
 * Grades an answer against the reference with the test bed grader's canonicalization
 * ({@link AnswerExtractor#canonicalInteger}: an integer, no sign for positives, no leading zeros, "-0" is "0";
 * surrounding spaces, tabs and carriage returns ignored). It only grades: nothing here sees more than one
 * candidate, so it cannot choose among them.
 */
public final class AnswerGrader {

    private AnswerGrader() {
    }

    /** The canonical form of a raw answer, or null when it is not an answer of the test bed's format. */
    public static String canonical(String raw) {
        return raw == null ? null : AnswerExtractor.canonicalInteger(SolutionFormat.strip(raw));
    }

    /** Whether {@code answer} (as the search returned it) equals the canonical {@code reference}. */
    public static boolean isCorrect(String reference, String answer) {
        String expected = canonical(reference);
        String given = canonical(answer);
        return expected != null && expected.equals(given);
    }

    /**
     * The answer the test bed's grader reads from a solution (its steps joined by the step delimiter), or null.
     * The harness records it beside the search's own answer to catch an extraction that disagrees.
     */
    public static String answerOfSolution(java.util.List<String> steps) {
        return steps == null || steps.isEmpty() ? null
                : AnswerExtractor.extract(String.join(SolutionFormat.STEP_DELIMITER, steps));
    }
}
