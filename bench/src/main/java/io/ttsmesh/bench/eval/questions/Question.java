package io.ttsmesh.bench.eval.questions;

import java.util.Objects;

/**
 * One question of an evaluation file.
 *
 * @param id stable identifier (the file's {@code id}, else {@code line-<n>}): results are keyed by it
 * @param question the problem as the model sees it
 * @param answer the reference answer, canonical (test bed canonicalization)
 * @param difficulty the file's {@code difficulty}, or the operation count of a test-bed expression, or null
 */
public record Question(String id, String question, String answer, Integer difficulty) {

    public Question {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(answer, "answer");
    }

    /** The difficulty as a table label: the number, or "unknown". */
    public String difficultyLabel() {
        return difficulty == null ? "unknown" : difficulty.toString();
    }
}
