package io.ttsmesh.bench.eval.grading;

import io.ttsmesh.task.Grade;
import io.ttsmesh.task.Task;

import java.util.List;

/**
 * Grades the solution a search chose with its question's task ({@link Task#grade}): the task decides what is right
 * (arithmetic: the stated answer equals the reference; Countdown: every line valid and the target reached). It only
 * grades: it sees the one solution each search returns, so it cannot choose among candidates.
 */
public final class AnswerGrader {

    /** The step delimiter of every bundled task (Task's text conventions). */
    static final String STEP_DELIMITER = "\n";

    private AnswerGrader() {
    }

    /**
     * The grade of a search's chosen solution.
     *
     * @param steps the solution's steps as the search returned them (without delimiters); empty or null when the
     *              search found none, which no task grades correct
     * @param expected the question file's canonical answer, or null where the task grades without one
     */
    public static Grade grade(Task task, String question, List<String> steps, String expected) {
        String completion = steps == null ? "" : String.join(STEP_DELIMITER, steps);
        return task.grade(question, completion, expected);
    }
}
