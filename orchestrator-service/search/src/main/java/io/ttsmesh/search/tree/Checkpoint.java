package io.ttsmesh.search.tree;

import java.util.List;

/**
 * A point in the search where policies may act on the branches that just advanced: after every
 * generator call of an extension (every step, or every k tokens when a policy asks for token checkpoints).
 *
 * @param branches the branches that advanced in the call and are still live
 * @param stepBoundary whether they all completed a step (false mid-step and when sampling to the end)
 * @param index 0, 1, 2, ... over the whole search
 */
public record Checkpoint(List<Branch> branches, boolean stepBoundary, int index) {
}
