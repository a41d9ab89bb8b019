package io.ttsmesh.orchestrator.prompt;

import io.smallrye.config.ConfigMapping;

import java.nio.file.Path;
import java.util.Optional;

/** How prompts are built for the generator (documented with its defaults in application.properties). */
@ConfigMapping(prefix = "tts.orchestrator.prompt")
public interface PromptConfig {

    /**
     * The generator model's chat template: its tokenizer_config.json, or the model directory holding it. Unset:
     * the search's prompt template ({@code tts.orchestrator.search.prompt-template}).
     */
    Optional<Path> chatTemplate();

    /** A system message before the question; unset: none (the template's own default, if it has one). */
    Optional<String> system();
}
