package io.ttsmesh.verifier;

/**
 * What one verifier is and its limits, as Describe reports it.
 *
 * @param model the model behind it, empty for rule-based verifiers
 * @param contextLength longest candidate in tokens (question and separators included); 0 when unlimited
 */
public record VerifierInfo(String name, String description, String model, int contextLength, int maxCandidates,
                           int maxSteps) {
}
