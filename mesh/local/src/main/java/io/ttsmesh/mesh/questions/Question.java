package io.ttsmesh.mesh.questions;

import io.ttsmesh.task.TaskRegistry;

import java.util.Objects;

/**
 * One question of an evaluation file.
 *
 * @param id stable identifier (the file's {@code id}, else {@code line-<n>}): results are keyed by it
 * @param task the task it belongs to ("arithmetic", "countdown"): its searches, grading and difficulty are that task's
 * @param question the problem in its task's canonical text, as the model sees it
 * @param answer the reference answer in the task's canonical form, or null where the task grades without one
 *               (Countdown: any valid solution is right)
 * @param difficulty the file's {@code difficulty}, or the task's difficulty of the question, or null
 */
public record Question(String id, String task, String question, String answer, Integer difficulty) {

    public Question {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(question, "question");
    }

    /** A question of the default task ({@value TaskRegistry#DEFAULT}). */
    public Question(String id, String question, String answer, Integer difficulty) {
        this(id, TaskRegistry.DEFAULT, question, answer, difficulty);
    }

    /** The difficulty as a table label: the number, or "unknown". */
    public String difficultyLabel() {
        return difficulty == null ? "unknown" : difficulty.toString();
    }
}
