package io.ttsmesh.search.budget;

import java.time.Duration;

/**
 * Hard bounds of one search; no strategy or policy may exceed any of them.
 *
 * @param maxTokens generated tokens (steps and probes)
 * @param maxVerifierCalls candidates scored (one per candidate per scoring call); 0 allows no verifier
 * @param deadline from admission
 */
public record Budget(long maxTokens, int maxVerifierCalls, Duration deadline) {
}
