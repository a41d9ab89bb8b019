package io.ttsmesh.search.strategy;

/**
 * Chooses, while the search runs, which strategy searches in place of the requested one (compute-optimal
 * selection). What it makes is itself a strategy that wraps the requested one, so the runner runs one strategy
 * whatever was selected.
 */
@FunctionalInterface
public interface StrategySelector {

    /** The strategy that selects, then runs its choice; {@code requested} runs when the selection could not finish. */
    Strategy around(Strategy requested);
}
