package io.ttsmesh.generator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.Model;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.runtime.BundledModels;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.util.Arrays;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A generator pod configured onto the Qwen2-shaped fixture (Optimum's merged decoder, byte-level BPE, Qwen's
 * ChatML template) answers OpenAI's chat API: the messages rendered by the model's template are exactly the
 * prompt jinja2 rendered (same prompt tokens), and the greedy answer is PyTorch's greedy continuation of it.
 */
@QuarkusTest
@TestProfile(Qwen2FixtureProfile.class)
class ChatCompletionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/v1")
    URL base;

    @Inject
    GeneratorEngine engine;

    private static JsonNode reference() throws Exception {
        return JSON.readTree(Files.readString(BundledModels.fixture("qwen2").resolve("reference.json")));
    }

    @Test
    void aStockClientGetsPyTorchsGreedyAnswerToTheTemplatedChat() throws Exception {
        JsonNode ref = reference();
        JsonNode chat = ref.get("chat").get(0);
        JsonNode greedy = ref.get("float32").get("greedy");
        assertThat(chat.get("rendered").asText()).isEqualTo(greedy.get("prompt").asText());
        long[] expected = new long[greedy.get("new_ids").size()];
        Arrays.setAll(expected, i -> greedy.get("new_ids").get(i).asLong());

        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(base.toString()).apiKey("not-needed").maxRetries(0).build();
        try {
            assertThat(client.models().list().data()).extracting(Model::id).containsExactly("qwen2");
            var completion = client.chat().completions().create(ChatCompletionCreateParams.builder().model("qwen2")
                    .addUserMessage(chat.get("messages").get(0).get("content").asText())
                    .maxCompletionTokens(expected.length).temperature(0.0).build());
            var choice = completion.choices().getFirst();
            assertThat(choice.message().content().orElseThrow()).isEqualTo(engine.tokenizer().decode(expected));
            assertThat(choice.finishReason()).hasToString("length");
            var usage = completion.usage().orElseThrow();
            assertThat(usage.promptTokens()).as("the prompt jinja2 rendered, token for token")
                    .isEqualTo(greedy.get("prompt_ids").size());
            assertThat(usage.completionTokens()).isEqualTo(expected.length);
        } finally {
            client.close();
        }
    }

    @Test
    void aConversationWithSystemAndAssistantTurnsIsTemplatedAsJinja2Did() throws Exception {
        JsonNode chat = reference().get("chat").get(1);
        long promptTokens = engine.tokenizer().encode(chat.get("rendered").asText()).length;
        given().contentType("application/json")
                .body(JSON.writeValueAsString(JSON.createObjectNode().put("model", "qwen2").put("max_tokens", 3)
                        .put("temperature", 0).set("messages", chat.get("messages"))))
                .post(base + "/chat/completions")
                .then().statusCode(200)
                .body("object", equalTo("chat.completion"))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("usage.prompt_tokens", equalTo((int) promptTokens));
    }

    @Test
    void badMessagesAreRefusedNamingTheField() {
        given().contentType("application/json").body("{\"model\": \"qwen2\", \"messages\": []}")
                .post(base + "/chat/completions")
                .then().statusCode(400).body("error.param", equalTo("messages"));
        given().contentType("application/json")
                .body("{\"messages\": [{\"role\": \"wizard\", \"content\": \"hi\"}]}")
                .post(base + "/chat/completions")
                .then().statusCode(400).body("error.param", equalTo("messages[0].role"));
        given().contentType("application/json")
                .body("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"n\": 3}")
                .post(base + "/chat/completions")
                .then().statusCode(400).body("error.param", equalTo("n"));
        given().contentType("application/json")
                .body("{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
                .post(base + "/chat/completions")
                .then().statusCode(404).body("error.code", equalTo("model_not_found"));
        given().get(base + "/models/gpt-4o").then().statusCode(404).body("error.message", containsString("qwen2"));
    }
}
