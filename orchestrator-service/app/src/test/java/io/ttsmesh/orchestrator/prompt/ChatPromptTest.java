package io.ttsmesh.orchestrator.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.search.settings.SearchSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The search's prompts in the Qwen2 fixture's ChatML format are byte for byte what jinja2 rendered; the template
 * renders per question (a template that transforms the user's content works), and the question is never template
 * source.
 */
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
    void aTemplateThatTransformsTheUsersContentRendersPerQuestion(@TempDir Path dir) throws Exception {
        // {question} as a slot would come out as {QUESTION}; rendered per question the content is transformed
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"{% for m in messages %}"
                + "<{{ m.role }}>{{ m.content | trim | upper }}</{{ m.role }}>{% endfor %}"
                + "{% if add_generation_prompt %}<assistant>{% endif %}\"}");
        SearchSettings settings = new ChatPrompt(config(dir, "be brief")).applyTo(SearchSettings.defaults());
        assertThat(settings.prompt("  What is the sum of the first 10 odd numbers?  "))
                .isEqualTo("<system>BE BRIEF</system><user>WHAT IS THE SUM OF THE FIRST 10 ODD NUMBERS?</user><assistant>");
        assertThat(settings.toBuilder().stepTokens(8).build().prompt("x")).as("kept through the task's settings")
                .isEqualTo("<system>BE BRIEF</system><user>X</user><assistant>");
    }

    @Test
    void aQuestionIsNeverTemplateSource() {
        SearchSettings settings = new ChatPrompt(config(BundledModels.fixture("qwen2"), null)).applyTo(SearchSettings.defaults());
        String question = "Is {{ 6*7 }} 42? {% if true %}yes{% endif %} {{ raise_exception('no') }} {question}";
        assertThat(settings.prompt(question)).contains("<|im_start|>user\n" + question + "<|im_end|>\n");
    }

    @Test
    void aTemplateThatDropsTheUsersContentFailsTheStart(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"{% for m in messages %}"
                + "<{{ m.role }}>{% endfor %}\"}");
        assertThatThrownBy(() -> new ChatPrompt(config(dir, null)))
                .hasMessageContaining("tts.orchestrator.prompt.chat-template=" + dir)
                .hasMessageContaining("does not put the user's message into the prompt");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": \"{{ raise_exception('only tools') }}\"}");
        assertThatThrownBy(() -> new ChatPrompt(config(dir, null)))
                .hasMessageContaining("tts.orchestrator.prompt.chat-template=" + dir)
                .hasMessageContaining("refused the messages: only tools");
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
