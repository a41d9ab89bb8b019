package io.ttsmesh.generator.openai;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The bundled test-bed model has no chat template: /v1/chat/completions says so, /v1/models still lists it. */
@QuarkusTest
class ChatWithoutTemplateTest {

    @TestHTTPResource("/v1")
    URL base;

    @Test
    void chatIsRefusedWithTheReason() {
        given().get(base + "/models").then().statusCode(200).body("data[0].id", equalTo("generator"))
                .body("object", equalTo("list"));
        given().contentType("application/json").body("{\"messages\": [{\"role\": \"user\", \"content\": \"1+1\"}]}")
                .post(base + "/chat/completions")
                .then().statusCode(400).body("error.param", equalTo("messages"))
                .body("error.message", containsString("no chat_template"));
    }
}
