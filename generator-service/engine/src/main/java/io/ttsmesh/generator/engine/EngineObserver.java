package io.ttsmesh.generator.engine;

/**
 * Hooks for metrics, called on the engine thread: keep them cheap (a Micrometer record is fine).
 */
public interface EngineObserver {

    EngineObserver NONE = new EngineObserver() {
    };

    /** One decode step ran over {@code rows} rows in {@code nanos}. */
    default void decodeStep(int rows, long nanos) {
    }

    /** {@code tokens} were sampled (steps and probes). */
    default void generated(int tokens) {
    }

    /** {@code tokens} were prefilled (prompts, appended text, probe cues). */
    default void prefilled(int tokens) {
    }

    /** The first Step answering an Extend came {@code nanos} after the Extend arrived. */
    default void firstStep(long nanos) {
    }

    /** A command failed with {@code code}. */
    default void commandFailed(ErrorCode code) {
    }
}
