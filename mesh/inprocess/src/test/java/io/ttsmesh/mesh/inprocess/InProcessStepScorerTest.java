package io.ttsmesh.mesh.inprocess;

import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.search.generation.TokenLogprob;
import io.ttsmesh.search.scoring.Candidate;
import io.ttsmesh.search.scoring.CandidateScores;
import io.ttsmesh.search.scoring.ScoringException;
import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.verifier.ScoringRequest;
import io.ttsmesh.verifier.VerifierEngine;
import io.ttsmesh.verifier.batching.BatchSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InProcessStepScorerTest {

    private static VerifierEngine engine;
    private static InProcessStepScorer scorer;

    @BeforeAll
    static void open() {
        engine = VerifierEngine.builder().modelDir(BundledModels.prm())
                .batch(BatchSettings.DEFAULTS.withMaxWait(Duration.ofMillis(1))).build();
        scorer = new InProcessStepScorer(engine);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void answersAsTheEngineDoesInRequestOrder() {
        List<String> steps = List.of("3*4=12", "12+5=17", "A: 17");
        List<CandidateScores> out = scorer.score("r1", "prm", "3*4+5", List.of(Candidate.allSteps("a", steps),
                Candidate.newestStep("b", steps.subList(0, 2)), Candidate.allSteps("empty", List.of())),
                Instant.now().plusSeconds(30));
        CandidateResult direct = engine.score(new ScoringRequest("r0", "prm", "3*4+5",
                List.of(CandidateInput.allSteps("x", steps))), Instant.now().plusSeconds(30)).join().getFirst();
        assertThat(out).extracting(CandidateScores::id).containsExactly("a", "b", "empty");
        assertThat(out.get(0).ok()).isTrue();
        assertThat(out.get(0).stepScores()).containsExactly(direct.scores());
        assertThat(out.get(1).stepScores()).containsExactly(direct.scores()[1]);
        assertThat(out.get(2).ok()).isFalse();
        assertThat(out.get(2).errorCode()).isEqualTo("INVALID_ARGUMENT");
        assertThat(out.get(2).error()).contains("steps is empty");
    }

    @Test
    void confidenceUsesTheSearchsLogprobs() {
        TokenLogprob token = new TokenLogprob(5, "5", (float) Math.log(0.8),
                List.of(new TokenLogprob.Alternative(5, "5", (float) Math.log(0.8)),
                        new TokenLogprob.Alternative(6, "6", (float) Math.log(0.2))));
        List<CandidateScores> out = scorer.score("r2", "confidence", "2+3",
                List.of(new Candidate("c", List.of("2+3=5"), false, List.of(List.of(token)))), Instant.now().plusSeconds(5));
        assertThat(out.getFirst().last()).isCloseTo((float) (1 - 2 * Math.sqrt(0.8 * 0.2)),
                org.assertj.core.api.Assertions.within(1e-5f));
    }

    @Test
    void callErrorsAndDeadlinesBecomeScoringExceptions() {
        List<Candidate> one = List.of(Candidate.allSteps("a", List.of("1+1=2")));
        assertThatThrownBy(() -> scorer.score("r3", "judge", "1+1", one, Instant.now().plusSeconds(5)))
                .isInstanceOfSatisfying(ScoringException.class, e -> {
                    assertThat(e.code()).isEqualTo("INVALID_ARGUMENT");
                    assertThat(e.getMessage()).contains("judge", "prm", "rules", "oracle");
                });
        assertThatThrownBy(() -> scorer.score("r4", "prm", "1+1", one, Instant.now().minusSeconds(1)))
                .isInstanceOfSatisfying(ScoringException.class,
                        e -> assertThat(e.code()).isEqualTo("DEADLINE_EXCEEDED"));
    }
}
