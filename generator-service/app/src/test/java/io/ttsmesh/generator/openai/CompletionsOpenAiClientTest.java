package io.ttsmesh.generator.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.generator.engine.GeneratorEngine;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;

/** /v1/completions driven by the official OpenAI Java SDK (a stock client), streaming included. */
@QuarkusTest
class CompletionsOpenAiClientTest {

    private static final String PROMPT = "Q: 53+(50+20)\n";

    @TestHTTPResource("/v1")
    URL base;

    @Inject
    GeneratorEngine engine;

    OpenAIClient client;

    @BeforeEach
    void client() {
        client = OpenAIOkHttpClient.builder().baseUrl(base.toString()).apiKey("not-needed").maxRetries(0).build();
    }

    @AfterEach
    void freed() {
        client.close();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (engine.liveBranches() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(engine.liveBranches()).isZero();
    }

    private static CompletionCreateParams.Builder params() {
        return CompletionCreateParams.builder().model("generator").prompt(PROMPT);
    }

    @Test
    void completesWithChoicesLogprobsAndUsage() {
        Completion c = client.completions().create(params().maxTokens(120).temperature(0.0).n(2).logprobs(2).build());
        assertThat(c.model()).isEqualTo("generator");
        assertThat(c.choices()).hasSize(2);
        CompletionChoice first = c.choices().get(0);
        assertThat(first.index()).isZero();
        assertThat(c.choices().get(1).text()).as("greedy choices agree").isEqualTo(first.text());
        assertThat(first.text()).isNotEmpty().doesNotContain("Q:");
        assertThat(first.finishReason()).isIn(CompletionChoice.FinishReason.STOP, CompletionChoice.FinishReason.LENGTH);
        CompletionChoice.Logprobs logprobs = first.logprobs().orElseThrow();
        assertThat(logprobs.tokens().orElseThrow()).isNotEmpty();
        assertThat(logprobs.topLogprobs().orElseThrow().getFirst()._additionalProperties()).hasSizeBetween(1, 2);
        CompletionUsage usage = c.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(PROMPT.length());
        assertThat(usage.completionTokens()).isEqualTo(2L * logprobs.tokens().orElseThrow().size());
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
    }

    @Test
    void stopStringsAndMaxTokensEndChoices() {
        Completion stopped = client.completions().create(params().maxTokens(100).temperature(0.0).stop("\n").build());
        assertThat(stopped.choices().getFirst().text()).isNotEmpty().doesNotContain("\n");
        assertThat(stopped.choices().getFirst().finishReason()).isEqualTo(CompletionChoice.FinishReason.STOP);

        Completion cut = client.completions().create(params().maxTokens(3).temperature(0.7).seed(1).build());
        assertThat(cut.choices().getFirst().finishReason()).isEqualTo(CompletionChoice.FinishReason.LENGTH);
        assertThat(cut.usage().orElseThrow().completionTokens()).isEqualTo(3);
    }

    @Test
    void aSeedMakesSamplingReproducible() {
        var sampled = params().maxTokens(60).temperature(1.0).topP(0.9).n(3).seed(2024L).build();
        List<String> once = client.completions().create(sampled).choices().stream().map(CompletionChoice::text).toList();
        List<String> again = client.completions().create(sampled).choices().stream().map(CompletionChoice::text).toList();
        assertThat(again).isEqualTo(once);
    }

    @Test
    void streamsTheSameTextAsOneAnswerWithUsageAtTheEnd() {
        var request = params().maxTokens(80).temperature(0.9).n(2).seed(7L).logprobs(1)
                .streamOptions(com.openai.models.chat.completions.ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        Completion whole = client.completions().create(request);
        Map<Long, StringBuilder> streamed = new HashMap<>();
        Map<Long, CompletionChoice.FinishReason> finish = new HashMap<>();
        List<Completion> chunks = new ArrayList<>();
        try (StreamResponse<Completion> stream = client.completions().createStreaming(request)) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                for (CompletionChoice choice : chunk.choices()) {
                    streamed.computeIfAbsent(choice.index(), i -> new StringBuilder()).append(choice.text());
                    choice._finishReason().asKnown().ifPresent(f -> finish.put(choice.index(), f));
                }
            });
        }
        assertThat(chunks.size()).as("token by token").isGreaterThan(10);
        for (CompletionChoice choice : whole.choices()) {
            assertThat(streamed.get(choice.index()).toString()).isEqualTo(choice.text());
            assertThat(finish.get(choice.index())).isEqualTo(choice.finishReason());
        }
        Completion last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(whole.usage().orElseThrow().completionTokens());
    }

    @Test
    void theStreamIsServerSentEventsEndingWithDone() {
        given().contentType("application/json")
                .body("{\"model\":\"generator\",\"prompt\":\"" + PROMPT.replace("\n", "\\n")
                        + "\",\"max_tokens\":5,\"temperature\":0,\"stream\":true}")
                .post("/v1/completions")
                .then().statusCode(200).contentType(containsString("text/event-stream"))
                .body(containsString("data: {\"id\":\"cmpl-")).body(endsWith("data: [DONE]\n\n"));
    }

    @Test
    void refusalsNameTheField() {
        assertThatThrownBy(() -> client.completions().create(params().temperature(3.0).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("temperature");
        assertThatThrownBy(() -> client.completions().create(params().maxTokens(0).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("max_tokens");
        assertThatThrownBy(() -> client.completions().create(params().presencePenalty(1.0).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("presence_penalty");
        assertThatThrownBy(() -> client.completions().create(params().prompt("Q: " + "7*".repeat(200) + "1\n").build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("context");
        assertThatThrownBy(() -> client.completions().create(CompletionCreateParams.builder().model("gpt-4").prompt("x").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("gpt-4");
        given().contentType("application/json").body("{\"prompt\": [1, 2, 3]}").post("/v1/completions")
                .then().statusCode(400).body("error.param", org.hamcrest.Matchers.equalTo("prompt"));
        given().contentType("application/json").body("{not json").post("/v1/completions")
                .then().statusCode(400).body("error.type", org.hamcrest.Matchers.equalTo("invalid_request_error"));
    }
}
