package io.ttsmesh.task.countdown;

import io.ttsmesh.task.Grade;
import io.ttsmesh.task.Task;
import java.util.List;

/**
 * Grades a Countdown completion: correct iff it has at least one line, every line is rule-valid and the last line is
 * the answer line (so k-1 valid steps used every number once and ended at the target). Any correct solution counts,
 * not one known in advance. The grade's step labels are the oracle's, the task's reference labels.
 */
public final class CountdownGrader {

    private final CountdownRules rules = new CountdownRules();
    private final CountdownOracle oracle = new CountdownOracle();

    public Grade grade(CountdownQuestion question, String completion) {
        List<String> lines = Task.steps(completion);
        List<Boolean> ruleLabels = rules.labels(question.text(), lines);
        boolean correct = !lines.isEmpty() && !ruleLabels.contains(false)
                && CountdownRules.isAnswerLine(Task.stripLine(lines.getLast()));
        return new Grade(SolutionKey.of(completion), correct, oracle.labels(question.text(), lines));
    }
}
