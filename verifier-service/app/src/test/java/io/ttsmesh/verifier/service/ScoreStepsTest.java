package io.ttsmesh.verifier.service;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.proto.TokenLogprob;
import io.ttsmesh.proto.TopLogprob;
import io.ttsmesh.proto.verifier.Candidate;
import io.ttsmesh.proto.verifier.DescribeRequest;
import io.ttsmesh.proto.verifier.ScoreRequest;
import io.ttsmesh.proto.verifier.ScoreResponse;
import io.ttsmesh.proto.verifier.StepLogprobs;
import io.ttsmesh.proto.verifier.VerifierCatalog;
import io.ttsmesh.proto.verifier.VerifierGrpc;
import io.ttsmesh.proto.verifier.VerifierInfo;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.verifier.DirectPrmReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** ScoreSteps and Describe over real gRPC on loopback, with the bundled PRM and the prefix cache on. */
@QuarkusTest
class ScoreStepsTest {

    @GrpcClient("self")
    VerifierGrpc.VerifierBlockingStub verifier;

    static List<ConcurrentScoring.Item> items;

    @BeforeAll
    static void reference() throws Exception {
        items = ConcurrentScoring.items(4);
    }

    @Test
    void concurrentCallsOfAnyCompositionEqualDirectOnnxRuntime() throws Exception {
        int compared = ConcurrentScoring.assertEqualsReference(verifier, items, 12, 10);
        assertThat(compared).isGreaterThan(100);
    }

    @Test
    void beamLikeCallsContinueCachedPrefixes() throws Exception {
        double before = metric("tts_verifier_cache_lookups_total\\{result=\"prefix\"}");
        ConcurrentScoring.Item seen = items.stream().filter(i -> i.steps().size() >= 3).findFirst().orElseThrow();
        // a question no other test sent, so nothing of it is cached yet
        String question = "(" + seen.question() + ")";
        float[] expected;
        try (DirectPrmReference reference = new DirectPrmReference(BundledModels.prm())) {
            expected = reference.score(question, seen.steps());
        }
        for (int k = 1; k <= seen.steps().size(); k++) {
            ScoreResponse r = verifier.scoreSteps(ScoreRequest.newBuilder().setRequestId("beam")
                    .setQuestion(question).addCandidates(Candidate.newBuilder().setId("b")
                            .addAllSteps(seen.steps().subList(0, k)).setLastStepOnly(true)).build());
            assertThat(r.getResults(0).getStepScores(0)).isCloseTo(expected[k - 1], within(1e-5f));
        }
        ConcurrentScoring.Item item = seen;
        assertThat(metric("tts_verifier_cache_lookups_total\\{result=\"prefix\"}") - before)
                .isGreaterThanOrEqualTo(item.steps().size() - 1);
    }

    @Test
    void aTooLongCandidateIsRejectedAloneAndTheOthersAnswered() {
        ConcurrentScoring.Item ok = items.getFirst();
        ScoreResponse r = verifier.scoreSteps(ScoreRequest.newBuilder().setRequestId("long").setQuestion(ok.question())
                .addCandidates(Candidate.newBuilder().setId("fine").addAllSteps(ok.steps()))
                .addCandidates(Candidate.newBuilder().setId("long").addAllSteps(Collections.nCopies(40, "123+456=579")))
                .addCandidates(Candidate.newBuilder().setId("empty"))
                .build());
        assertThat(r.getResults(0).getErrorCode()).isZero();
        assertThat(r.getResults(0).getStepScoresCount()).isEqualTo(ok.steps().size());
        assertThat(r.getResults(0).getStepScores(0)).isCloseTo(ok.expected()[0], within(1e-5f));
        assertThat(r.getResults(1).getId()).isEqualTo("long");
        assertThat(r.getResults(1).getErrorCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(r.getResults(1).getErrorMessage()).contains("candidates[1]", "tokens", "context of 256");
        assertThat(r.getResults(1).getStepScoresCount()).isZero();
        assertThat(r.getResults(2).getErrorCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(r.getResults(2).getErrorMessage()).contains("candidates[2]", "steps is empty");
    }

    @Test
    void badCallsGetInvalidArgumentNamingTheField() {
        Candidate one = Candidate.newBuilder().setId("a").addSteps("1+1=2").build();
        assertStatus(ScoreRequest.newBuilder().setQuestion("1+1").addCandidates(one),
                Status.Code.INVALID_ARGUMENT, "request_id is required");
        assertStatus(ScoreRequest.newBuilder().setRequestId("r").addCandidates(one),
                Status.Code.INVALID_ARGUMENT, "question is required");
        assertStatus(ScoreRequest.newBuilder().setRequestId("r").setQuestion("1+1"),
                Status.Code.INVALID_ARGUMENT, "candidates is empty");
        assertStatus(ScoreRequest.newBuilder().setRequestId("r").setQuestion("1+1").setVerifier("nope")
                .addCandidates(one), Status.Code.INVALID_ARGUMENT,
                "verifier 'nope' is unknown; known: prm, orm, rules, oracle, exact, confidence, or a stack of them");
        ScoreRequest.Builder many = ScoreRequest.newBuilder().setRequestId("r").setQuestion("1+1");
        for (int i = 0; i < 257; i++) {
            many.addCandidates(one);
        }
        assertStatus(many, Status.Code.INVALID_ARGUMENT, "candidates: 257 given, at most 256");
        ScoreResponse steps = verifier.scoreSteps(ScoreRequest.newBuilder().setRequestId("r").setQuestion("1+1")
                .addCandidates(Candidate.newBuilder().setId("s").addAllSteps(Collections.nCopies(65, "1"))).build());
        assertThat(steps.getResults(0).getErrorCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(steps.getResults(0).getErrorMessage()).contains("65 steps, at most 64", "max-steps");
    }

    private void assertStatus(ScoreRequest.Builder request, Status.Code code, String message) {
        assertThatThrownBy(() -> verifier.scoreSteps(request.build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(code);
                    assertThat(e.getStatus().getDescription()).contains(message);
                });
    }

    @Test
    void ormExactAndConfidenceAreSelectedPerRequest() {
        ConcurrentScoring.Item item = items.get(2);
        ScoreResponse orm = verifier.scoreSteps(ScoreRequest.newBuilder().setRequestId("o").setVerifier("orm")
                .setQuestion(item.question()).addCandidates(Candidate.newBuilder().setId("x").addAllSteps(item.steps()))
                .build());
        assertThat(orm.getResults(0).getStepScoresList()).hasSize(1);
        assertThat(orm.getResults(0).getStepScores(0)).isCloseTo(item.expected()[item.expected().length - 1],
                within(1e-5f));

        ScoreResponse exact = verifier.scoreSteps(ScoreRequest.newBuilder().setRequestId("e").setVerifier("exact")
                .setQuestion("(17+25)*3-14").addCandidates(Candidate.newBuilder().setId("x")
                        .addAllSteps(List.of("17+25=42", "42*3=125", "125-14=111", "A: 111"))).build());
        assertThat(exact.getResults(0).getStepScoresList()).containsExactly(1f, 0f, 0f, 0f);

        TokenLogprob token = TokenLogprob.newBuilder().setTokenId(7).setToken("3").setLogprob((float) Math.log(0.9))
                .addTop(TopLogprob.newBuilder().setTokenId(7).setLogprob((float) Math.log(0.9)))
                .addTop(TopLogprob.newBuilder().setTokenId(8).setLogprob((float) Math.log(0.1))).build();
        ScoreResponse conf = verifier.scoreSteps(ScoreRequest.newBuilder().setRequestId("c").setVerifier("confidence")
                .setQuestion("1+2").addCandidates(Candidate.newBuilder().setId("x").addSteps("1+2=3")
                        .addLogprobs(StepLogprobs.newBuilder().addTokens(token).addTokens(token))).build());
        double expected = 1 - 2 * Math.sqrt(0.9 * 0.1);
        assertThat(conf.getResults(0).getStepScores(0)).isCloseTo((float) expected, within(1e-5f));
    }

    @Test
    void describeListsTheVerifiersAndTheirLimits() {
        VerifierCatalog catalog = verifier.describe(DescribeRequest.getDefaultInstance());
        assertThat(catalog.getInstance()).isNotBlank();
        assertThat(catalog.getTask()).isEqualTo("arithmetic");
        assertThat(catalog.getVerifiersList()).extracting(VerifierInfo::getName)
                .containsExactly("prm", "orm", "rules", "oracle", "exact", "confidence", "rules+prm", "rules+orm");
        VerifierInfo prm = catalog.getVerifiersList().stream().filter(v -> v.getName().equals("prm")).findFirst()
                .orElseThrow();
        assertThat(prm.getModel()).isEqualTo("tts-testbed-prm");
        assertThat(prm.getContextLength()).isEqualTo(256);
        assertThat(prm.getMaxCandidates()).isEqualTo(256);
        assertThat(prm.getMaxSteps()).isEqualTo(64);
        assertThat(prm.getTasksList()).containsExactly("arithmetic");
        VerifierInfo rules = catalog.getVerifiersList().stream().filter(v -> v.getName().equals("rules")).findFirst()
                .orElseThrow();
        assertThat(rules.getTasksList()).containsExactly("arithmetic", "countdown");
        assertThat(rules.getModel()).isEmpty();
        VerifierInfo oracle = catalog.getVerifiersList().stream().filter(v -> v.getName().equals("oracle"))
                .findFirst().orElseThrow();
        assertThat(oracle.getDescription()).contains("upper bounds");
        VerifierInfo stack = catalog.getVerifiersList().stream().filter(v -> v.getName().equals("rules+prm"))
                .findFirst().orElseThrow();
        assertThat(stack.getMembersList()).containsExactly("rules", "prm");
        assertThat(stack.getTasksList()).containsExactly("arithmetic");
        assertThat(stack.getModel()).isEqualTo("tts-testbed-prm");
    }

    @Test
    void metricsAreExposed() {
        verifier.scoreSteps(ScoreRequest.newBuilder().setRequestId("m").setQuestion(items.getFirst().question())
                .addCandidates(Candidate.newBuilder().setId("x").addAllSteps(items.getFirst().steps())).build());
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(body).contains("tts_verifier_candidates_total{", "outcome=\"scored\"", "verifier=\"prm\"",
                "tts_verifier_batch_size_bucket", "tts_verifier_batch_duration_seconds",
                "tts_verifier_queue_wait_seconds_bucket", "tts_verifier_queue_depth",
                "tts_verifier_cache_lookups_total{", "tts_verifier_cache_hit_ratio", "tts_verifier_cache_bytes");
        given().get("/q/health/ready").then().statusCode(200);
    }

    private static double metric(String pattern) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^" + pattern + "\\s+([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
