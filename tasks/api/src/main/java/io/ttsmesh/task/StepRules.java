package io.ttsmesh.task;

import java.util.List;

/** Labels the steps of a (partial) solution of one canonical question. */
@FunctionalInterface
public interface StepRules {

    /**
     * One label per step, in order; once a label is false every later one is false too.
     *
     * @param question the canonical question
     * @param steps    the steps without delimiters, the answer line included where written
     */
    List<Boolean> labels(String question, List<String> steps);
}
