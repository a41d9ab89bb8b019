package io.ttsmesh.orchestrator.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.ttsmesh.orchestrator.api.SolveRequests;
import io.ttsmesh.orchestrator.testing.KafkaBrokerResource;
import io.ttsmesh.orchestrator.testing.ScriptedMeshResource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The monitor's streams over HTTP as a browser reads them, with the Kafka plane on (a real broker in this
 * JVM): one search's events in order, each once, from before it started to its result; the overview; and a
 * search of another orchestrator pod, seen only on tts.events.
 */
@QuarkusTest
@WithTestResource(ScriptedMeshResource.class)
@WithTestResource(KafkaBrokerResource.class)
class MonitorStreamsTest {

    @jakarta.inject.Inject
    ObjectMapper json;

    @TestHTTPResource("/monitor/api")
    URL api;

    /** Reads server-sent events until one whose data contains {@code until}; returns the data of "events" messages. */
    private List<JsonNode> readEvents(InputStream body, String until) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        try (var reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = null;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:") && "events".equals(name)) {
                    json.readTree(line.substring(5).trim()).forEach(events::add);
                    if (line.contains(until)) {
                        return events;
                    }
                }
            }
        }
        return events;
    }

    @Test
    void aSearchWatchedBeforeItStartsStreamsEveryEventOnceInOrder() throws Exception {
        // HTTP/1.1, as a browser's EventSource reads it over plain http (java.net.http would ask for an h2c upgrade).
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        var request = HttpRequest.newBuilder(URI.create(api + "/searches/mon-sse-1/events"))
                .header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        CompletableFuture<List<JsonNode>> read = CompletableFuture.supplyAsync(() -> {
            try {
                return readEvents(response.body(), "search_finished");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        String result = given().contentType(ContentType.JSON).body(SolveRequests.bestOfNJson("mon-sse-1", "3+4", 4))
                .when().post("/v1/solve").then().statusCode(200).extract().asString();

        List<JsonNode> events = read.get(30, TimeUnit.SECONDS);
        assertThat(events).as("events read before the stream ended (its end is logged at DEBUG by Subscriber)").isNotEmpty();
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).get("sequence").asLong()).isEqualTo(i + 1);
            assertThat(events.get(i).get("request_id").asText()).isEqualTo("mon-sse-1");
        }
        assertThat(events.getFirst().has("started")).isTrue();
        assertThat(events.stream().filter(e -> e.has("step"))).hasSizeGreaterThanOrEqualTo(4);
        JsonNode last = events.getLast().get("search_finished").get("result");
        assertThat(last).isEqualTo(json.readTree(result));

        // A viewer that comes later gets the same events from what the monitor kept.
        var late = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        List<JsonNode> again = readEvents(late.body(), "search_finished");
        assertThat(again).isEqualTo(events);
    }

    @Test
    void theOverviewShowsSearchesWithTheirSpendAndPods() {
        given().contentType(ContentType.JSON).body(SolveRequests.bestOfNJson("mon-overview-1", "2+2", 2))
                .when().post("/v1/solve").then().statusCode(200);
        given().get("/monitor/api/overview.json").then().statusCode(200)
                .body("full", equalTo(true))
                .body("stats.kafka_followed", equalTo(true))
                .body("searches.find { it.request_id == 'mon-overview-1' }.state", equalTo("finished"))
                .body("searches.find { it.request_id == 'mon-overview-1' }.answer", equalTo("4"))
                .body("searches.find { it.request_id == 'mon-overview-1' }.local", equalTo(true))
                .body("searches.find { it.request_id == 'mon-overview-1' }.strategy.name", equalTo("best_of_n"))
                .body("searches.find { it.request_id == 'mon-overview-1' }.budget.max_tokens", equalTo(5000));
    }

    @Test
    void searchesOfOtherPodsArriveFromKafkaAndOurOwnAreNotCountedTwice() throws Exception {
        // Our own search: its events also come back from tts.events.
        given().contentType(ContentType.JSON).body(SolveRequests.bestOfNJson("mon-own-1", "1+1", 2))
                .when().post("/v1/solve").then().statusCode(200);
        // Another pod's search, written to tts.events as that pod's publisher would.
        String started = "{\"specversion\":\"1.0\",\"id\":\"pod-b-1.1\",\"source\":\"/tts-mesh/orchestrator\","
                + "\"type\":\"io.ttsmesh.search.started\",\"subject\":\"pod-b-1\",\"datacontenttype\":\"application/json\","
                + "\"data\":{\"request_id\":\"pod-b-1\",\"sequence\":\"1\",\"time_unix_ms\":\"" + System.currentTimeMillis() + "\","
                + "\"started\":{\"question\":\"5+5\",\"strategy\":{\"name\":\"self_consistency\",\"params\":{\"n\":\"4\"}},"
                + "\"budget\":{\"max_tokens\":\"900\",\"max_verifier_calls\":0,\"deadline_ms\":1000},\"generator\":\"gen-elsewhere\"}}}";
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaBrokerResource.bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>("tts.events", "pod-b-1", "not a cloud event")).get();
            // The monitor follows from the end of the topic: sent again until it has seen it (it is taken once).
            await().atMost(30, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS).untilAsserted(() -> {
                producer.send(new ProducerRecord<>("tts.events", "pod-b-1", started)).get();
                given().get("/monitor/api/overview.json").then()
                        .body("searches.find { it.request_id == 'pod-b-1' }.local", equalTo(false))
                        .body("searches.find { it.request_id == 'pod-b-1' }.generator", equalTo("gen-elsewhere"))
                        .body("searches.find { it.request_id == 'pod-b-1' }.state", equalTo("running"))
                        .body("searches.find { it.request_id == 'pod-b-1' }.events", equalTo(1));
            });
        }
        JsonNode own = json.readTree(given().get("/monitor/api/overview.json").asString()).get("searches");
        for (JsonNode s : own) {
            if (s.get("request_id").asText().equals("mon-own-1")) {
                assertThat(s.get("local").asBoolean()).isTrue();
                assertThat(s.get("events_missed").asLong()).isZero();
                assertThat(s.get("state").asText()).isEqualTo("finished");
            }
        }
    }

    @Test
    void thePageIsServedAndBadIdsAreRefused() {
        given().get("/monitor/").then().statusCode(200).body(containsString("live searches"));
        given().get("/monitor/monitor.js").then().statusCode(200);
        given().redirects().follow(false).get("/monitor").then().statusCode(302);
        given().get("/monitor/api/searches/bad!id/events").then().statusCode(400)
                .body("error.field", equalTo("request_id"));
    }
}
