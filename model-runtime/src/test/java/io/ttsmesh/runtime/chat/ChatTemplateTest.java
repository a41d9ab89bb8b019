package io.ttsmesh.runtime.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.runtime.BundledModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fixtures' chat templates (Qwen's ChatML, Llama 3.1's) render byte for byte as Python's jinja2 rendered them. */
class ChatTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<ChatMessage> messages(JsonNode array) {
        List<ChatMessage> out = new ArrayList<>();
        array.forEach(m -> out.add(new ChatMessage(m.get("role").asText(), m.get("content").asText())));
        return out;
    }

    /** Qwen's ChatML, and Llama 3.1's template (slicing, "in" on a message, trim, none tests, comments). */
    @ParameterizedTest
    @ValueSource(strings = {"qwen2", "llama"})
    void rendersAsJinja2DoesByteForByte(String fixture) throws Exception {
        Path dir = BundledModels.fixture(fixture);
        ChatTemplate template = ChatTemplate.read(dir.resolve("tokenizer_config.json"));
        JsonNode cases = JSON.readTree(Files.readString(dir.resolve("reference.json"))).get("chat");
        assertThat(cases.size()).isEqualTo(3);
        for (JsonNode c : cases) {
            String rendered = template.render(messages(c.get("messages")), c.get("add_generation_prompt").asBoolean());
            assertThat(rendered).isEqualTo(c.get("rendered").asText());
        }
    }

    @Test
    void raiseExceptionRefusesWithTheTemplatesMessage() {
        ChatTemplate strict = ChatTemplate.of("{% if messages[0].role != 'user' %}{{ raise_exception('first turn must be "
                + "the user') }}{% endif %}{{ bos_token }}{{ messages[0].content }}", "<s>", "</s>");
        assertThat(strict.render(List.of(new ChatMessage("user", "hi")), true)).isEqualTo("<s>hi");
        assertThatThrownBy(() -> strict.render(List.of(new ChatMessage("assistant", "hi")), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("first turn must be the user");
    }

    /** As in Python's Jinja, a message's content is a value: template syntax in a user's text is not evaluated. */
    @ParameterizedTest
    @ValueSource(strings = {"qwen2", "llama"})
    void templateSyntaxInAMessageIsText(String fixture) {
        ChatTemplate template = ChatTemplate.read(BundledModels.fixture(fixture).resolve("tokenizer_config.json"));
        String content = "Is {{ 6*7 }} 42? {% if true %}yes{% endif %} {{ raise_exception('evaluated') }} {# c #}";
        assertThat(template.render(List.of(new ChatMessage("user", content)), true)).contains(content);
    }

    @Test
    void aConfigWithoutTemplateIsNamed(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("tokenizer_config.json");
        Files.writeString(config, "{\"eos_token\": \"</s>\"}");
        assertThatThrownBy(() -> ChatTemplate.read(config)).hasMessageContaining(config.toString())
                .hasMessageContaining("has no chat_template");
    }
}
