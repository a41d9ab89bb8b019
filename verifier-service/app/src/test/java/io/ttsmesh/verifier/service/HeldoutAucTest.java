package io.ttsmesh.verifier.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.proto.verifier.Candidate;
import io.ttsmesh.proto.verifier.ScoreRequest;
import io.ttsmesh.proto.verifier.ScoreResponse;
import io.ttsmesh.proto.verifier.VerifierGrpc;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.verifier.HeldoutSamples;
import io.ttsmesh.verifier.StepAuc;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The service's PRM step-level AUC on the training script's generator samples of the held-out questions
 * matches the script's own figure. CI rescores the first {@code verifier.heldout.questions} questions (100,
 * 1,600 samples) and compares with the AUC of the script's stored scores on the same subset;
 * {@code -Dverifier.heldout.questions=0} rescores them all and compares with baseline.json as well.
 */
@QuarkusTest
class HeldoutAucTest {

    @GrpcClient("self")
    VerifierGrpc.VerifierBlockingStub verifier;

    @Test
    void stepAucMatchesTheTrainingScript() throws Exception {
        int limit = Integer.getInteger("verifier.heldout.questions", 100);
        HeldoutSamples set = HeldoutSamples.read(limit);
        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        double worst = 0;
        for (HeldoutSamples.Question q : set.questions()) {
            ScoreRequest.Builder req = ScoreRequest.newBuilder().setRequestId(q.id()).setQuestion(q.question());
            List<HeldoutSamples.Sample> scored = new ArrayList<>();
            for (HeldoutSamples.Sample s : q.samples()) {
                if (!s.steps().isEmpty()) { // no steps, no step scores: the script's AUC skips them too
                    req.addCandidates(Candidate.newBuilder().setId("s" + scored.size()).addAllSteps(s.steps()));
                    scored.add(s);
                }
            }
            if (scored.isEmpty()) {
                continue;
            }
            ScoreResponse resp = verifier.scoreSteps(req.build());
            for (int i = 0; i < scored.size(); i++) {
                HeldoutSamples.Sample s = scored.get(i);
                assertThat(resp.getResults(i).getErrorCode()).as(resp.getResults(i).getErrorMessage()).isZero();
                List<Float> got = resp.getResults(i).getStepScoresList();
                assertThat(got).hasSize(s.steps().size());
                for (int j = 0; j < got.size(); j++) {
                    ours.add((double) got.get(j));
                    theirs.add((double) s.scores()[j]);
                    labels.add(s.labels().get(j));
                    worst = Math.max(worst, Math.abs(got.get(j) - s.scores()[j]));
                }
            }
        }
        boolean[] y = new boolean[labels.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels.get(i);
        }
        double aucOurs = StepAuc.of(ours.stream().mapToDouble(Double::doubleValue).toArray(), y);
        double aucScript = StepAuc.of(theirs.stream().mapToDouble(Double::doubleValue).toArray(), y);
        System.out.printf("held-out step AUC over %d questions, %d steps: service %.4f, script's stored scores %.4f; "
                + "largest score difference %.2e%n", set.questions().size(), y.length, aucOurs, aucScript, worst);
        // the script stores its PyTorch scores rounded to 6 decimals; ONNX Runtime agrees within ~1e-5
        assertThat(worst).as("largest difference to the script's own step scores").isLessThan(1e-3);
        if (Double.isNaN(aucScript)) {
            // only one label class among these steps (an undertrained export): the script reports no AUC
            assertThat(aucOurs).as("service AUC where the script has none").isNaN();
        } else {
            assertThat(aucOurs).isCloseTo(aucScript, within(0.01));
        }
        if (limit <= 0) {
            JsonNode figure = new ObjectMapper().readTree(Files.readString(baseline()))
                    .path("metrics").path("all").path("prm_step_auc");
            System.out.println("baseline.json prm_step_auc " + figure);
            if (figure.isNumber()) {
                assertThat(aucOurs).isCloseTo(figure.asDouble(), within(0.01));
            } else {
                assertThat(aucOurs).isNaN();
            }
        }
    }

    private static Path baseline() {
        return BundledModels.root().resolve("eval/baseline.json");
    }
}
