package io.ttsmesh.search.answer;

import io.ttsmesh.task.Task;

import java.util.Objects;

/** A task's answer key ({@link Task#answerKey}): the task alone knows what its solutions state. */
record TaskAnswerFormat(Task task) implements AnswerFormat {

    TaskAnswerFormat {
        Objects.requireNonNull(task, "task");
    }

    @Override
    public String extract(CharSequence text) {
        return task.answerKey(text.toString());
    }

    @Override
    public String probeAnswer(CharSequence solution, CharSequence probe) {
        return task.answerKey(solution.toString() + probe);
    }

    @Override
    public String toString() {
        return "the answer key of task " + task.name();
    }
}
