package io.ttsmesh.verifier.service;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.proto.verifier.Candidate;
import io.ttsmesh.proto.verifier.ScoreRequest;
import io.ttsmesh.proto.verifier.ScoreResponse;
import io.ttsmesh.proto.verifier.VerifierGrpc;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** ScoreStream over real gRPC on loopback with the bundled PRM: many requests on one stream, answered by call_id. */
@QuarkusTest
class ScoreStreamTest {

    static List<ConcurrentScoring.Item> items;
    private ManagedChannel channel;

    @BeforeAll
    static void reference() throws Exception {
        items = ConcurrentScoring.items(3);
    }

    @BeforeEach
    void connect() {
        int port = ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
    }

    @AfterEach
    void disconnect() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** Sends the requests on one stream and collects the answers by call_id. */
    private Map<Long, ScoreResponse> exchange(List<ScoreRequest> requests) throws Exception {
        Map<Long, ScoreResponse> answers = new ConcurrentHashMap<>();
        CountDownLatch all = new CountDownLatch(requests.size());
        StreamObserver<ScoreRequest> out = VerifierGrpc.newStub(channel).scoreStream(new StreamObserver<>() {
            @Override
            public void onNext(ScoreResponse r) {
                answers.put(r.getCallId(), r);
                all.countDown();
            }

            @Override
            public void onError(Throwable t) {
                while (all.getCount() > 0) {
                    all.countDown();
                }
            }

            @Override
            public void onCompleted() {
            }
        });
        requests.forEach(out::onNext);
        assertThat(all.await(60, TimeUnit.SECONDS)).isTrue();
        out.onCompleted();
        return answers;
    }

    @Test
    void requestsOnOneStreamAreEachAnsweredByCallIdLikeScoreSteps() throws Exception {
        double before = metric("tts_verifier_requests_total\\{transport=\"stream\"}");
        List<ScoreRequest> requests = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            var item = items.get(i);
            requests.add(ScoreRequest.newBuilder().setRequestId("s" + i).setCallId(100 + i).setQuestion(item.question())
                    .addCandidates(Candidate.newBuilder().setId("c" + i).addAllSteps(item.steps())).build());
        }
        Map<Long, ScoreResponse> answers = exchange(requests);
        assertThat(answers).hasSize(items.size());
        for (int i = 0; i < items.size(); i++) {
            ScoreResponse r = answers.get(100L + i);
            assertThat(r.getErrorCode()).isZero();
            assertThat(r.getRequestId()).isEqualTo("s" + i);
            float[] expected = items.get(i).expected();
            assertThat(r.getResults(0).getStepScoresCount()).isEqualTo(expected.length);
            for (int k = 0; k < expected.length; k++) {
                assertThat(r.getResults(0).getStepScores(k)).isCloseTo(expected[k], within(1e-4f));
            }
        }
        assertThat(metric("tts_verifier_requests_total\\{transport=\"stream\"}") - before).isEqualTo(items.size());
    }

    @Test
    void aRequestRefusedAsAWholeIsAnsweredWithItsCodeAndTheStreamGoesOn() throws Exception {
        var item = items.getFirst();
        Map<Long, ScoreResponse> answers = exchange(List.of(
                ScoreRequest.newBuilder().setRequestId("no-call-id").setQuestion(item.question())
                        .addCandidates(Candidate.newBuilder().setId("a").addAllSteps(item.steps())).build(),
                ScoreRequest.newBuilder().setRequestId("bad").setCallId(7).setQuestion(item.question())
                        .setVerifier("nope").addCandidates(Candidate.newBuilder().setId("a").addAllSteps(item.steps())).build(),
                ScoreRequest.newBuilder().setRequestId("good").setCallId(8).setQuestion(item.question())
                        .addCandidates(Candidate.newBuilder().setId("a").addAllSteps(item.steps())).build()));
        assertThat(answers.get(0L).getErrorCode()).isEqualTo(3);
        assertThat(answers.get(0L).getErrorMessage()).contains("call_id");
        assertThat(answers.get(7L).getErrorCode()).isEqualTo(3);
        assertThat(answers.get(7L).getErrorMessage()).contains("verifier 'nope' is unknown");
        assertThat(answers.get(8L).getErrorCode()).isZero();
        assertThat(answers.get(8L).getResults(0).getStepScoresCount()).isEqualTo(item.steps().size());
    }

    private static double metric(String pattern) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^" + pattern + "\\s+([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
