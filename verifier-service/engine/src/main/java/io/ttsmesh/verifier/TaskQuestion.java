package io.ttsmesh.verifier;

import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.Task;

import java.util.Objects;

/**
 * The question of a call as verifiers get it: its task and its canonical text. Built only through
 * {@link #of}, so a verifier never sees a question its task has not accepted.
 */
public final class TaskQuestion {

    private final Task task;
    private final String text;

    private TaskQuestion(Task task, String text) {
        this.task = task;
        this.text = text;
    }

    /**
     * @throws InvalidQuestion naming the field ("question", "question.numbers", ...) when the task refuses it
     */
    public static TaskQuestion of(Task task, String question) {
        Objects.requireNonNull(task, "task");
        return new TaskQuestion(task, task.canonicalQuestion(question));
    }

    public Task task() {
        return task;
    }

    /** The canonical text, what models and rule checkers see. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return task.name() + ": " + text;
    }
}
