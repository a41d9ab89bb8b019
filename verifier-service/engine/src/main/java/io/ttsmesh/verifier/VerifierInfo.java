package io.ttsmesh.verifier;

import java.util.List;

/**
 * What one verifier is and its limits, as Describe reports it.
 *
 * @param model         the model behind it, empty for rule-based verifiers
 * @param contextLength longest candidate in tokens (question and separators included); 0 when unlimited
 * @param tasks         the tasks it scores
 * @param members       a stack's members in order; empty for a single verifier
 */
public record VerifierInfo(String name, String description, String model, int contextLength, int maxCandidates,
                           int maxSteps, List<String> tasks, List<String> members) {

    public VerifierInfo {
        tasks = List.copyOf(tasks);
        members = List.copyOf(members);
    }

    /** A single verifier. */
    public VerifierInfo(String name, String description, String model, int contextLength, int maxCandidates,
                        int maxSteps, List<String> tasks) {
        this(name, description, model, contextLength, maxCandidates, maxSteps, tasks, List.of());
    }
}
