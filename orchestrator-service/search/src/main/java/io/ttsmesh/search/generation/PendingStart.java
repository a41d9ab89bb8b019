package io.ttsmesh.search.generation;

/** A Start sent ahead of its answer ({@link GenerationSession#startAhead}). */
@FunctionalInterface
public interface PendingStart {

    /**
     * The prompt's token count: waits for the generator's answer if it has not come yet (sending the Start first
     * if nothing has carried it out yet); throws the start's failure as {@link GenerationSession#start} would.
     */
    int promptTokens();
}
