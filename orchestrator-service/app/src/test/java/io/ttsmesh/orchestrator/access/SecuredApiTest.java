package io.ttsmesh.orchestrator.access;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.ttsmesh.orchestrator.api.ProtoJson;
import io.ttsmesh.orchestrator.api.SolveRequests;
import io.ttsmesh.proto.events.SearchEvent;
import io.ttsmesh.proto.generator.DescribeRequest;
import io.ttsmesh.proto.generator.GeneratorGrpc;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.proto.orchestrator.ListStrategiesRequest;
import io.ttsmesh.proto.orchestrator.OrchestratorGrpc;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The public API with authentication on (API keys, per-key rate and budget), and the generator reached over
 * mutual TLS from the Quarkus TLS registry. Every log record of the run and every event and result is checked
 * for the keys.
 */
@QuarkusTest
@TestProfile(SecuredProfile.class)
class SecuredApiTest {

    private static final List<String> LOGGED = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder text = new StringBuilder(String.valueOf(record.getMessage()));
            if (record.getParameters() != null) {
                for (Object p : record.getParameters()) {
                    text.append(' ').append(p);
                }
            }
            if (record.getThrown() != null) {
                text.append(' ').append(record.getThrown());
            }
            LOGGED.add(text.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @GrpcClient("self")
    OrchestratorGrpc.OrchestratorBlockingStub orchestrator;

    @BeforeAll
    static void captureLogs() {
        CAPTURE.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(CAPTURE);
    }

    @AfterAll
    static void stopCapturing() {
        Logger.getLogger("").removeHandler(CAPTURE);
    }

    private OrchestratorGrpc.OrchestratorBlockingStub as(String key) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
        return orchestrator.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static List<SearchEvent> drain(Iterator<SearchEvent> events) {
        List<SearchEvent> all = new ArrayList<>();
        events.forEachRemaining(all::add);
        return all;
    }

    @Test
    void grpcWithoutAValidKeyIsUnauthenticatedAndWithOneAnswersThroughTheTlsGenerator() {
        SolveRequest request = SolveRequests.bestOfN("sec-grpc-1", "3+4", 4).toBuilder().setDetail(Detail.STEPS).build();
        assertThatThrownBy(() -> drain(orchestrator.solve(request)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).contains("Authorization: Bearer");
                });
        assertThatThrownBy(() -> as("sk-wrong").listStrategies(ListStrategiesRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> as(SecuredProfile.ALPHA).submit(request.toBuilder().setRequestId("sec-grpc-2")
                .setBudget(request.getBudget().toBuilder().setMaxTokens(5001)).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith("budget.max_tokens").contains("alpha");
                });

        int before = SecuredMeshResource.generator.received().size();
        List<SearchEvent> events = drain(as(SecuredProfile.ALPHA).solve(request));
        var result = events.getLast().getSearchFinished().getResult();
        assertThat(result.getAnswer()).isEqualTo("7");
        assertThat(SecuredMeshResource.generator.received().size()).isGreaterThan(before);
        assertNoKeyIn(events.toString());
        assertNoKeyIn(LOGGED.toString());
    }

    @Test
    void httpWithoutAValidKeyGets401AndWithOneAnswers() {
        given().contentType(ContentType.JSON).body(SolveRequests.bestOfNJson("sec-rest-1", "3+4", 2))
                .when().post("/v1/solve")
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("error.code", equalTo("UNAUTHENTICATED"))
                .body("error.message", containsString("Authorization: Bearer"));
        given().contentType(ContentType.JSON).header("Authorization", "Basic dXNlcjpwYXNz")
                .body("{\"model\":\"tts-mesh/best_of_n\",\"messages\":[{\"role\":\"user\",\"content\":\"3+4\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(401)
                .body("error.type", equalTo("invalid_request_error"));
        given().header("Authorization", "Bearer " + SecuredProfile.ALPHA + "x").when().get("/v1/models").then().statusCode(401);

        String solved = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + SecuredProfile.ALPHA)
                .body(SolveRequests.bestOfNJson("sec-rest-2", "3+4", 2))
                .when().post("/v1/solve")
                .then().statusCode(200).body("answer", equalTo("7")).extract().asString();
        String chat = given().contentType(ContentType.JSON).header("Authorization", "bearer " + SecuredProfile.ALPHA)
                .body("{\"model\":\"tts-mesh/best_of_n\",\"tts_params\":{\"n\":2},\"messages\":[{\"role\":\"user\",\"content\":\"2+5\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(200).body("tts.answer", equalTo("7")).extract().asString();
        assertNoKeyIn(solved + chat);
        assertNoKeyIn(LOGGED.toString());
    }

    @Test
    void aKeyOverItsRequestRateGets429WithRetryAfterAndResourceExhausted() {
        // burst: 2 at once, then one every 100 s (slow enough for a loaded CI machine).
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", "Bearer " + SecuredProfile.BURST).when().get("/v1/strategies").then().statusCode(200);
        }
        long started = System.nanoTime();
        given().header("Authorization", "Bearer " + SecuredProfile.BURST).when().get("/v1/strategies")
                .then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error.code", equalTo("RESOURCE_EXHAUSTED"))
                .body("error.message", containsString("'burst'"));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(2000);
        assertThatThrownBy(() -> as(SecuredProfile.BURST).listStrategies(ListStrategiesRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(Integer.parseInt(e.getTrailers().get(Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER))))
                            .isBetween(1, 100);
                });
        // Another key is not affected.
        given().header("Authorization", "Bearer " + SecuredProfile.ALPHA).when().get("/v1/strategies").then().statusCode(200);
    }

    @Test
    void aKeyOutOfItsTokenAllowanceIsRefusedBeforeTheSearchStarts() {
        // small: 1,000 tokens an hour. A search reserves its budget and gives back what it did not spend.
        SolveRequest first = SolveRequests.bestOfN("sec-small-1", "3+4", 2).toBuilder()
                .setBudget(SolveRequests.bestOfN("x", "3+4", 2).getBudget().toBuilder().setMaxTokens(1000)).build();
        assertThat(drain(as(SecuredProfile.SMALL).solve(first)).getLast().getSearchFinished().getResult().getAnswer()).isEqualTo("7");
        // The answer goes out before the search closes its generator session: count once the Close has arrived.
        await().atMost(Duration.ofSeconds(10)).until(() -> SecuredMeshResource.generator.received().stream()
                .anyMatch(c -> c.getRequestId().equals("sec-small-1") && c.hasClose()));
        int generatorCommands = SecuredMeshResource.generator.received().size();
        assertThatThrownBy(() -> drain(as(SecuredProfile.SMALL).solve(first.toBuilder().setRequestId("sec-small-2").build())))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).contains("allowance");
                });
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + SecuredProfile.SMALL)
                .body("{\"model\":\"best_of_n\",\"max_tokens\":1000,\"prompt\":\"3+4\"}")
                .when().post("/v1/completions")
                .then().statusCode(429).header("Retry-After", notNullValue()).body("error.type", equalTo("rate_limit_error"));
        // Refused before any work: the generator saw nothing more.
        assertThat(SecuredMeshResource.generator.received()).hasSize(generatorCommands);
        // What is left still serves a smaller budget.
        SolveRequest smaller = first.toBuilder().setRequestId("sec-small-3")
                .setBudget(first.getBudget().toBuilder().setMaxTokens(200)).build();
        assertThat(drain(as(SecuredProfile.SMALL).solve(smaller)).getLast().getSearchFinished().getResult().getAnswer()).isEqualTo("7");
    }

    @Test
    void theTlsGeneratorRefusesPlaintextAndClientsWithoutACertificate() throws Exception {
        String address = SecuredMeshResource.generator.address();
        ManagedChannel plaintext = NettyChannelBuilder.forTarget(address).usePlaintext().build();
        ManagedChannel noClientCert = NettyChannelBuilder.forTarget(address)
                .sslContext(GrpcSslContexts.forClient().trustManager(SecuredMeshResource.generatorCerts.trustManagers()).build())
                .build();
        ManagedChannel mutual = NettyChannelBuilder.forTarget(address)
                .sslContext(GrpcSslContexts.forClient()
                        .trustManager(SecuredMeshResource.generatorCerts.trustManagers())
                        .keyManager(SecuredMeshResource.orchestratorCerts.keyManagers()).build())
                .build();
        try {
            for (ManagedChannel refused : List.of(plaintext, noClientCert)) {
                assertThatThrownBy(() -> GeneratorGrpc.newBlockingStub(refused).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .describe(DescribeRequest.getDefaultInstance()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.INTERNAL));
            }
            assertThat(GeneratorGrpc.newBlockingStub(mutual).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .describe(DescribeRequest.getDefaultInstance()).getInstance()).isEqualTo("gen-tls");
        } finally {
            plaintext.shutdownNow();
            noClientCert.shutdownNow();
            mutual.shutdownNow();
        }
    }

    @Test
    void healthStaysOpen() {
        given().when().get("/q/health/live").then().statusCode(200);
    }

    private static void assertNoKeyIn(String text) {
        for (String key : List.of(SecuredProfile.ALPHA, SecuredProfile.BURST, SecuredProfile.SMALL)) {
            assertThat(text).doesNotContain(key).doesNotContain(key.substring(9));
        }
    }
}
