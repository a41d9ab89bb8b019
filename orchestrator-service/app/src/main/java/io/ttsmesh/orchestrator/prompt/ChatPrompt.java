package io.ttsmesh.orchestrator.prompt;

import io.ttsmesh.runtime.chat.ChatMessage;
import io.ttsmesh.runtime.chat.ChatTemplate;
import io.ttsmesh.search.settings.PromptFormat;
import io.ttsmesh.search.settings.SearchSettings;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prompts in the generator model's own chat format: the question as the user's turn (after an optional system
 * turn), rendered by the model's Jinja chat template for every question, ending where the assistant's answer
 * starts. Rendered per question, not once with a slot, because a template may transform or inspect the user's
 * content (trim it, test it); the question is a value in the template's context, never template source. At start
 * the template renders two sample questions: one that cannot render a plain conversation, or drops the user's
 * content (both prompts equal), fails the start naming the key.
 */
@ApplicationScoped
public class ChatPrompt {

    static final String KEY = "tts.orchestrator.prompt.chat-template";
    /** The question rendered at start to check the template. */
    static final String SAMPLE_QUESTION = "What is the sum of the first 10 odd numbers?";
    private static final String OTHER_QUESTION = "What is 2+2?";

    private final Optional<PromptFormat> format;

    ChatPrompt(PromptConfig config) {
        this.format = config.chatTemplate().map(path -> format(path, config.system()));
    }

    private static PromptFormat format(Path path, Optional<String> system) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer_config.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(KEY + "=" + path + ": no such file (a tokenizer_config.json or the model "
                    + "directory holding one)");
        }
        ChatTemplate template;
        try {
            template = ChatTemplate.read(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY + "=" + path + ": " + e.getMessage(), e);
        }
        Optional<String> systemTurn = system.filter(s -> !s.isBlank());
        PromptFormat format = question -> {
            List<ChatMessage> messages = new ArrayList<>(2);
            systemTurn.ifPresent(s -> messages.add(new ChatMessage("system", s)));
            messages.add(new ChatMessage("user", question));
            try {
                return template.render(messages, true);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(KEY + "=" + path + ": " + e.getMessage(), e);
            }
        };
        // Compared, not searched for: a template may transform the content, but two questions must give two prompts.
        if (format.prompt(SAMPLE_QUESTION).equals(format.prompt(OTHER_QUESTION))) {
            throw new IllegalArgumentException(KEY + "=" + path + ": the chat template does not put the user's message "
                    + "into the prompt (two questions rendered the same prompt)");
        }
        return format;
    }

    /** The chat-formatted prompt of a question, when a chat template is configured. */
    public Optional<PromptFormat> format() {
        return format;
    }

    /** {@code settings} prompting in the model's chat format, when one is configured. */
    public SearchSettings applyTo(SearchSettings settings) {
        return format.map(f -> settings.toBuilder().promptFormat(f).build()).orElse(settings);
    }
}
