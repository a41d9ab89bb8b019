package io.ttsmesh.generator.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.runtime.BundledModels;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** tts.generator.openai.stop: the model's stop strings end every OpenAI answer, beside the request's own. */
@QuarkusTest
@TestProfile(ModelStopProfile.class)
class ModelStopTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/v1")
    URL base;

    @Inject
    GeneratorEngine engine;

    @Test
    void theGreedyAnswerEndsBeforeTheModelsStopString() throws Exception {
        JsonNode greedy = JSON.readTree(Files.readString(BundledModels.fixture("qwen2").resolve("reference.json")))
                .get("float32").get("greedy");
        long[] ids = new long[greedy.get("new_ids").size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = greedy.get("new_ids").get(i).asLong();
        }
        String full = engine.tokenizer().decode(ids);
        assertThat(full).contains(ModelStopProfile.STOP);
        String body = given().contentType("application/json")
                .body("{\"messages\": [{\"role\": \"user\", \"content\": \"What is 12 + 30?\"}], \"max_tokens\": "
                        + ids.length + ", \"temperature\": 0}")
                .post(base + "/chat/completions")
                .then().statusCode(200).body("choices[0].finish_reason", equalTo("stop"))
                .extract().asString();
        assertThat(JSON.readTree(body).at("/choices/0/message/content").asText())
                .isEqualTo(full.substring(0, full.indexOf(ModelStopProfile.STOP)));
    }
}
