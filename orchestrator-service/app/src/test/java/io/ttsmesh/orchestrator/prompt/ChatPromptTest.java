package io.ttsmesh.orchestrator.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.search.SearchSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The search's prompts in the Qwen2 fixture's ChatML format are byte for byte what jinja2 rendered. */
class ChatPromptTest {

    private static PromptConfig config(Path template, String system) {
        return new PromptConfig() {
            @Override
            public Optional<Path> chatTemplate() {
                return Optional.ofNullable(template);
            }

            @Override
            public Optional<String> system() {
                return Optional.ofNullable(system);
            }
        };
    }

    @Test
    void theSearchPromptIsTheTemplatesRenderOfTheQuestion() throws Exception {
        Path model = BundledModels.fixture("qwen2");
        JsonNode chat = new ObjectMapper().readTree(Files.readString(model.resolve("reference.json"))).get("chat");
        SearchSettings settings = new ChatPrompt(config(model, null)).applyTo(SearchSettings.defaults());
        assertThat(settings.prompt(chat.get(0).get("messages").get(0).get("content").asText()))
                .isEqualTo(chat.get(0).get("rendered").asText());
        SearchSettings withSystem = new ChatPrompt(config(model.resolve("tokenizer_config.json"), "You are a careful solver."))
                .applyTo(SearchSettings.defaults());
        assertThat(withSystem.prompt("What is 1?")).isEqualTo("<|im_start|>system\nYou are a careful solver.<|im_end|>\n"
                + "<|im_start|>user\nWhat is 1?<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void unsetKeepsTheSearchPromptTemplate() {
        SearchSettings defaults = SearchSettings.defaults();
        assertThat(new ChatPrompt(config(null, null)).applyTo(defaults)).isSameAs(defaults);
    }

    @Test
    void aModelWithoutChatTemplateFailsNamingTheKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{}");
        assertThatThrownBy(() -> new ChatPrompt(config(dir, null)))
                .hasMessageContaining("tts.orchestrator.prompt.chat-template=" + dir)
                .hasMessageContaining("has no chat_template");
        assertThatThrownBy(() -> new ChatPrompt(config(dir.resolve("missing"), null)))
                .hasMessageContaining("no such file");
    }
}
