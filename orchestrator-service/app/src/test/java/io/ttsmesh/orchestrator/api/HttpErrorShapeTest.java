package io.ttsmesh.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.orchestrator.testing.KafkaBrokerResource;
import io.ttsmesh.orchestrator.testing.ScriptedMeshResource;
import jakarta.inject.Inject;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every HTTP path of the orchestrator, sent each kind of malformed request: the status, and a body in the
 * documented JSON shape naming what is wrong. OpenAI paths answer {@code {"error": {"message", "type",
 * "param", "code"}}}, the others {@code {"error": {"code", "field", "message"}}}.
 */
@QuarkusTest
@WithTestResource(ScriptedMeshResource.class)
@WithTestResource(KafkaBrokerResource.class)
class HttpErrorShapeTest {

    private static final List<String> POST_PATHS = List.of("/v1/solve", "/v1/jobs", "/v1/chat/completions", "/v1/completions");
    private static final List<String> GET_PATHS = List.of("/v1/strategies", "/v1/jobs/some-job", "/v1/models",
            "/v1/models/tts-mesh/beam_search", "/monitor/api/overview.json");
    private static final String MEGABYTE_AND_MORE = "{\"question\": \"" + "1".repeat(1024 * 1024) + "\"}";

    @TestHTTPResource("/")
    URL root;

    @Inject
    ObjectMapper json;

    // HTTP/1.1 as curl and the SDKs speak it (the JDK client would otherwise try an h2c upgrade).
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Case(String method, String path, String contentType, String body, int status, String field) {
        @Override
        public String toString() {
            return method + " " + path + " (" + contentType + ", " + (body == null ? "no body" : body.length() > 60
                    ? body.length() + " chars" : body) + ")";
        }
    }

    private List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String path : POST_PATHS) {
            cases.add(new Case("POST", path, "application/json", "not json at all", 400, "body"));
            cases.add(new Case("POST", path, "application/json", "[1, 2]", 400, "body"));
            cases.add(new Case("POST", path, "application/json", "", 400, "body"));
            cases.add(new Case("POST", path, "text/plain", "{}", 415, "Content-Type"));
            cases.add(new Case("POST", path, "application/x-www-form-urlencoded", "{}", 415, "Content-Type"));
            cases.add(new Case("POST", path, "application/json", MEGABYTE_AND_MORE, 413, "body"));
            cases.add(new Case("GET", path, null, null, 405, "method"));
            cases.add(new Case("DELETE", path, null, null, 405, "method"));
        }
        for (String path : GET_PATHS) {
            cases.add(new Case("POST", path, "application/json", "{}", 405, "method"));
            cases.add(new Case("PUT", path, "application/json", "{}", 405, "method"));
            cases.add(new Case("DELETE", path, null, null, 405, "method"));
        }
        for (String path : List.of("/v1/nope", "/nope", "/monitor/api/nope", "/v1/chat/nope", "/v1/jobs/a/b")) {
            cases.add(new Case("GET", path, null, null, 404, "path"));
            cases.add(new Case("POST", path, "application/json", "{}", 404, "path"));
        }
        cases.add(new Case("GET", "/v1/models/tts-mesh/no_such_strategy", null, null, 404, "model"));
        cases.add(new Case("GET", "/v1/jobs/no-such-job", null, null, 404, "request_id"));
        cases.add(new Case("GET", "/v1/jobs/bad%20id", null, null, 400, "request_id"));
        // Fields named down to the one at fault, on REST as on the OpenAI facade.
        cases.add(new Case("POST", "/v1/solve", "application/json",
                "{\"request_id\": \"e-1\", \"question\": \"1+1\", \"strategy\": {\"name\": \"best_of_n\"}, \"budget\": {\"max_tokens\": -5}}",
                400, "budget.max_tokens"));
        cases.add(new Case("POST", "/v1/jobs", "application/json", "{\"request_id\": \"e-2\", \"colour\": \"red\"}", 400, "colour"));
        cases.add(new Case("POST", "/v1/solve", "application/json", "{\"request_id\": {\"a\": 1}}", 400, "request_id"));
        cases.add(new Case("POST", "/v1/solve", "application/json",
                "{\"request_id\": \"e-3\", \"policies\": [{\"name\": \"prune\"}, {\"name\": {\"x\": 1}}]}", 400, "policies[1].name"));
        cases.add(new Case("POST", "/v1/solve", "application/json",
                "{\"request_id\": \"e-4\", \"detail\": {\"a\": 1}}", 400, "detail"));
        cases.add(new Case("POST", "/v1/chat/completions", "application/json",
                "{\"model\": \"tts-mesh/best_of_n\", \"messages\": [{\"role\": \"user\", \"content\": \"1+1\"}], \"max_tokens\": -5}",
                400, "max_tokens"));
        cases.add(new Case("POST", "/v1/chat/completions", "application/json",
                "{\"model\": \"tts-mesh/best_of_n\", \"messages\": [{\"role\": \"user\", \"content\": \"1+1\"}], \"tts_budget\": {\"deadline_ms\": 0}}",
                400, "tts_budget.deadline_ms"));
        cases.add(new Case("POST", "/v1/chat/completions", "application/json",
                "{\"model\": \"tts-mesh/best_of_n\", \"messages\": [{\"role\": \"user\", \"content\": \"1+1\"}], \"stream\": \"yes\"}",
                400, "stream"));
        cases.add(new Case("POST", "/v1/chat/completions", "application/json", "{\"model\": \"tts-mesh/best_of_n\"}", 400, "messages"));
        cases.add(new Case("POST", "/v1/completions", "application/json",
                "{\"model\": \"tts-mesh/best_of_n\", \"prompt\": \"1+1\", \"stream\": true}", 400, "stream"));
        return cases;
    }

    @Test
    void everyMalformedRequestOnEveryPathGetsItsStatusAndTheDocumentedBodyNamingTheProblem() throws Exception {
        SoftAssertions softly = new SoftAssertions();
        for (Case c : cases()) {
            HttpResponse<String> response = send(c);
            softly.assertThat(response.statusCode()).as("status of %s", c).isEqualTo(c.status());
            softly.assertThat(response.headers().firstValue("Content-Type").orElse("")).as("type of %s", c).startsWith("application/json");
            JsonNode body;
            try {
                body = json.readTree(response.body());
            } catch (Exception e) {
                softly.fail("%s: the body is not JSON: %s", c, response.body());
                continue;
            }
            JsonNode error = body.path("error");
            if (openAi(c.path())) {
                softly.assertThat(error.path("param").asText()).as("param of %s: %s", c, body).isEqualTo(c.field());
                softly.assertThat(error.path("type").asText()).as("type of %s", c).isEqualTo("invalid_request_error");
                softly.assertThat(error.has("code")).as("code of %s", c).isTrue();
                softly.assertThat(error.path("message").asText()).as("message of %s", c).isNotBlank();
            } else {
                softly.assertThat(error.path("field").asText()).as("field of %s: %s", c, body).isEqualTo(c.field());
                softly.assertThat(error.path("code").asText()).as("code of %s", c).isEqualTo(switch (c.status()) {
                    case 404 -> "NOT_FOUND";
                    case 405 -> "UNIMPLEMENTED";
                    default -> "INVALID_ARGUMENT";
                });
                softly.assertThat(error.path("message").asText()).as("message of %s", c).isNotBlank();
            }
        }
        softly.assertAll();
    }

    /**
     * The JDK's client writes the whole body before it reads the answer: the server must read and drop the rest of
     * an over-long body after its 413 rather than close under the client's writes (a reset loses the answer).
     */
    @Test
    void aClientThatWritesItsWholeBodyFirstGetsThe413EveryTime() throws Exception {
        Case tooLarge = new Case("POST", "/v1/solve", "application/json", MEGABYTE_AND_MORE, 413, "body");
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = send(tooLarge);
            assertThat(response.statusCode()).as("try %d", i).isEqualTo(413);
            assertThat(json.readTree(response.body()).path("error").path("field").asText()).isEqualTo("body");
            assertThat(response.headers().firstValue("Connection")).as("not to be reused").hasValue("close");
        }
    }

    private static boolean openAi(String path) {
        return path.startsWith("/v1/chat/") || path.startsWith("/v1/completions") || path.startsWith("/v1/models");
    }

    private HttpResponse<String> send(Case c) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + c.path()))
                .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(c.body()));
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
