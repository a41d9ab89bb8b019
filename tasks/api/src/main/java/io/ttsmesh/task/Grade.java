package io.ttsmesh.task;

import java.util.List;

/**
 * The grade of one completion.
 *
 * @param answer     the completion's canonical answer (its vote key), or null when it states none
 * @param correct    what accuracy counts
 * @param stepLabels per step, the task's own reference labels (for the test bed: exact step correctness)
 */
public record Grade(String answer, boolean correct, List<Boolean> stepLabels) {
    public Grade {
        stepLabels = List.copyOf(stepLabels);
    }
}
