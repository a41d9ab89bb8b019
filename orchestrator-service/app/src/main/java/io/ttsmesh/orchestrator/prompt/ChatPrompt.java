package io.ttsmesh.orchestrator.prompt;

import io.ttsmesh.runtime.chat.ChatMessage;
import io.ttsmesh.runtime.chat.ChatTemplate;
import io.ttsmesh.search.SearchSettings;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prompts in the generator model's own chat format: the question as the user's turn (after an optional system
 * turn), rendered by the model's Jinja chat template, ending where the assistant's answer starts. The template is
 * rendered once at start with the search's {@code {question}} slot as the user's content, so every search's
 * prompt is the template's output with the question in that turn; a template that rejects the conversation or
 * drops the user's content fails the start, naming the key.
 */
@ApplicationScoped
public class ChatPrompt {

    static final String KEY = "tts.orchestrator.prompt.chat-template";
    private static final String SLOT = "{question}";

    private final Optional<String> promptTemplate;

    ChatPrompt(PromptConfig config) {
        this.promptTemplate = config.chatTemplate().map(path -> render(path, config.system()));
    }

    private static String render(Path path, Optional<String> system) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer_config.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(KEY + "=" + path + ": no such file (a tokenizer_config.json or the model "
                    + "directory holding one)");
        }
        List<ChatMessage> messages = new ArrayList<>();
        system.filter(s -> !s.isBlank()).ifPresent(s -> messages.add(new ChatMessage("system", s)));
        messages.add(new ChatMessage("user", SLOT));
        String rendered;
        try {
            rendered = ChatTemplate.read(file).render(messages, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY + "=" + path + ": " + e.getMessage(), e);
        }
        if (rendered.indexOf(SLOT) < 0 || rendered.indexOf(SLOT) != rendered.lastIndexOf(SLOT)) {
            throw new IllegalArgumentException(KEY + "=" + path + ": the chat template does not put the user's message "
                    + "into the prompt exactly once");
        }
        return rendered;
    }

    /** The chat-formatted prompt template ({@code {question}} in the user's turn), when one is configured. */
    public Optional<String> promptTemplate() {
        return promptTemplate;
    }

    /** {@code settings} prompting in the model's chat format, when one is configured. */
    public SearchSettings applyTo(SearchSettings settings) {
        return promptTemplate.map(t -> settings.toBuilder().promptTemplate(t).build()).orElse(settings);
    }
}
