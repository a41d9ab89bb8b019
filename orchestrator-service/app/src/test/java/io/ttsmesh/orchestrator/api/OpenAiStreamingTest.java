package io.ttsmesh.orchestrator.api;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.orchestrator.solving.SearchService;
import io.ttsmesh.orchestrator.testing.KafkaBrokerResource;
import io.ttsmesh.orchestrator.testing.ScriptedMeshResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Streamed chat completions and models.retrieve, driven by the official OpenAI Java SDK. */
@QuarkusTest
@WithTestResource(ScriptedMeshResource.class)
@WithTestResource(KafkaBrokerResource.class)
class OpenAiStreamingTest {

    @TestHTTPResource("/v1")
    URL v1;

    @Inject
    SearchService searches;

    private OpenAIClient openAi() {
        return OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey("not-checked").maxRetries(0).build();
    }

    private static ChatCompletionCreateParams.Builder question(String requestId, String question) {
        return ChatCompletionCreateParams.builder()
                .model("tts-mesh/best_of_n")
                .addUserMessage(question)
                .maxCompletionTokens(3000)
                .putAdditionalBodyProperty("tts_params", JsonValue.from(Map.of("n", 4)))
                .putAdditionalBodyProperty("tts_request_id", JsonValue.from(requestId));
    }

    private static String reasoning(ChatCompletionChunk chunk) {
        if (chunk.choices().isEmpty()) {
            return null;
        }
        JsonValue value = chunk.choices().getFirst().delta()._additionalProperties().get("reasoning_content");
        return value == null ? null : value.convert(String.class);
    }

    @Test
    void aStreamedChatCompletionTellsTheSearchAsReasoningThenTheAnswerThenTheUsage() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openAi().chat().completions().createStreaming(
                question("openai-stream-1", "2+3")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            stream.stream().forEach(chunks::add);
        }
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.id()).isEqualTo("chatcmpl-openai-stream-1");
            assertThat(c.model()).isEqualTo("tts-mesh/best_of_n");
        });
        assertThat(chunks.getFirst().choices().getFirst().delta().role()).isPresent();

        StringBuilder reasoning = new StringBuilder();
        StringBuilder content = new StringBuilder();
        int lastReasoning = -1;
        int firstContent = -1;
        for (int i = 0; i < chunks.size(); i++) {
            String r = reasoning(chunks.get(i));
            if (r != null) {
                reasoning.append(r);
                lastReasoning = i;
            }
            var choices = chunks.get(i).choices();
            if (!choices.isEmpty() && choices.getFirst().delta().content().filter(c -> !c.isEmpty()).isPresent()) {
                content.append(choices.getFirst().delta().content().get());
                firstContent = firstContent < 0 ? i : firstContent;
            }
        }
        // The search as it went: its start, its branches, the steps of the leading one, their answers.
        assertThat(reasoning.toString()).contains("Searching with best_of_n", "Started 4 branches", "Branch ", "step 1:",
                "finished with the answer 5");
        assertThat(content.toString()).contains("A: 5");
        assertThat(lastReasoning).isLessThan(firstContent);

        ChatCompletionChunk finish = chunks.get(chunks.size() - 2);
        assertThat(finish.choices().getFirst().finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.STOP);
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        var usage = last.usage().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> spend = (Map<String, Object>) last._additionalProperties().get("tts").convert(Map.class).get("spend");
        assertThat(usage.completionTokens()).isPositive().isEqualTo(Long.parseLong(spend.get("generated_tokens").toString()));
        assertThat(usage.promptTokens()).isEqualTo(Long.parseLong(spend.get("prefill_tokens").toString()));
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.usage()).isEmpty());
    }

    @Test
    void withoutIncludeUsageTheFinishChunkIsLastAndCarriesTheSpend() throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(v1.toURI().resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model": "tts-mesh/best_of_n", "stream": true, "messages": [{"role": "user", "content": "4+4"}],
                         "tts_params": {"n": 2}, "tts_request_id": "openai-stream-2"}""")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<String> data = response.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
        assertThat(data.getLast()).isEqualTo("[DONE]");
        String finish = data.get(data.size() - 2);
        assertThat(finish).contains("\"finish_reason\":\"stop\"", "\"tts\":{", "\"answer\":\"8\"").doesNotContain("\"usage\"");
        assertThat(response.body()).doesNotContain("\\u003d");
    }

    @Test
    void aClientThatLeavesMidStreamCancelsTheSearchAndFreesEveryBranch() {
        ScriptedMeshResource.generatorA.stepDelayMs(3000);
        ScriptedMeshResource.generatorB.stepDelayMs(3000);
        try (StreamResponse<ChatCompletionChunk> stream = openAi().chat().completions().createStreaming(
                question("openai-stream-gone", "2+3").build())) {
            Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
            // Reads until the search told that its branches run: they hold sequences on the generator.
            while (true) {
                String r = reasoning(chunks.next());
                if (r != null && r.startsWith("Started")) {
                    break;
                }
            }
            await().atMost(10, TimeUnit.SECONDS).until(() -> searches.admission().running() == 1 && liveBranches() > 0);
        } finally {
            ScriptedMeshResource.generatorA.stepDelayMs(0);
            ScriptedMeshResource.generatorB.stepDelayMs(0);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> searches.admission().running() == 0 && liveBranches() == 0);
    }

    private static int liveBranches() {
        return ScriptedMeshResource.generatorA.liveBranches() + ScriptedMeshResource.generatorB.liveBranches();
    }

    @Test
    void modelsRetrieveAnswersEveryListedModelAnd404ForOthers() {
        OpenAIClient client = openAi();
        for (String id : List.of("tts-mesh/beam_search", "tts-mesh/countdown/best_of_n")) {
            var model = client.models().retrieve(id);
            assertThat(model.id()).isEqualTo(id);
            assertThat(model.ownedBy()).isEqualTo("tts-mesh");
        }
        assertThatThrownBy(() -> client.models().retrieve("tts-mesh/no_such_strategy"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("tts-mesh/no_such_strategy", "does not exist");
                });
    }
}
