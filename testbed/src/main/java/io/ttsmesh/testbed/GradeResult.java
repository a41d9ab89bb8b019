package io.ttsmesh.testbed;

import java.util.List;

/**
 * The grade of one completion.
 *
 * @param lines           the completion's lines as graded (split and stripped)
 * @param stepLabels      per line: this line and all before it are correct
 * @param answer          canonical extracted answer, or null
 * @param answerCorrect   the canonical answer equals the problem's answer (steps play no part)
 * @param solutionCorrect every line is correct and the last one is a correct answer line
 */
public record GradeResult(List<String> lines, List<Boolean> stepLabels, String answer, boolean answerCorrect,
                          boolean solutionCorrect) {
    public GradeResult {
        lines = List.copyOf(lines);
        stepLabels = List.copyOf(stepLabels);
    }
}
