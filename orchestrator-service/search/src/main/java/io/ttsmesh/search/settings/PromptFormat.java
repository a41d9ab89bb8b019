package io.ttsmesh.search.settings;

/**
 * The generator's prompt as a function of the canonical question, for prompts a string template with a
 * {@code {question}} slot cannot express (a model's chat template, which may transform or inspect the user's
 * content). Must be thread-safe: every search calls it when it starts.
 */
@FunctionalInterface
public interface PromptFormat {

    /**
     * @throws IllegalArgumentException when the question cannot be put into a prompt
     */
    String prompt(String question);
}
