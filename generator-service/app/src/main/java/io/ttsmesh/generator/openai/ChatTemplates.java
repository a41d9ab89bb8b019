package io.ttsmesh.generator.openai;

import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.runtime.chat.ChatTemplate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The served model's chat template ({@code chat_template} of its {@code tokenizer_config.json}), read once.
 * A model without one still serves {@code /v1/completions}; {@code /v1/chat/completions} then says why it cannot.
 */
@ApplicationScoped
public class ChatTemplates {

    private static final Logger LOG = Logger.getLogger(ChatTemplates.class);

    private final Optional<ChatTemplate> template;
    private final String missing;

    @Inject
    ChatTemplates(GeneratorEngine engine) {
        Path config = engine.directory().tokenizerConfigFile();
        ChatTemplate found = null;
        String why = null;
        if (!Files.isRegularFile(config)) {
            why = "the model has no tokenizer_config.json (" + config + ") with a chat_template";
        } else {
            try {
                found = ChatTemplate.read(config);
            } catch (IllegalArgumentException e) {
                why = e.getMessage();
            }
        }
        if (why != null) {
            LOG.infof("/v1/chat/completions is off: %s", why);
        }
        this.template = Optional.ofNullable(found);
        this.missing = why;
    }

    /** @throws OpenAiError 400 on {@code messages} when the model has no chat template */
    ChatTemplate require() {
        return template.orElseThrow(() -> OpenAiError.invalid("messages", "this model cannot chat: " + missing
                + "; use /v1/completions with a formatted prompt"));
    }
}
