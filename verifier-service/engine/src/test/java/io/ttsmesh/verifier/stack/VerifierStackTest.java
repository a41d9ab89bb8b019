package io.ttsmesh.verifier.stack;

import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.verifier.DirectPrmReference;
import io.ttsmesh.verifier.HeldoutSamples;
import io.ttsmesh.verifier.ScoringMetrics;
import io.ttsmesh.verifier.ScoringRequest;
import io.ttsmesh.verifier.StatusCode;
import io.ttsmesh.verifier.TokenLogprob;
import io.ttsmesh.verifier.VerifierEngine;
import io.ttsmesh.verifier.VerifierException;
import io.ttsmesh.verifier.VerifierInfo;
import io.ttsmesh.verifier.batching.BatchSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Stacks on the bundled arithmetic PRM and the arithmetic task's rule checker, in one engine. The engine runs
 * every candidate alone and keeps no prefix cache, so the PRM gives the same bits for the same candidate whenever
 * it is asked, and a stack's score can be compared with the PRM's exactly.
 */
class VerifierStackTest {

    /** Counts the candidates the PRM ran and the work stacks spared. */
    static final class Counting implements ScoringMetrics {
        final AtomicLong prmRows = new AtomicLong();
        final Map<String, AtomicLong> skippedCandidates = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> skippedScores = new ConcurrentHashMap<>();

        @Override
        public void batch(int rows, long paddedTokens, long realTokens, Duration runTime) {
            prmRows.addAndGet(rows);
        }

        @Override
        public void stackSkipped(String member, int candidates, int scores) {
            skippedCandidates.computeIfAbsent(member, m -> new AtomicLong()).addAndGet(candidates);
            skippedScores.computeIfAbsent(member, m -> new AtomicLong()).addAndGet(scores);
        }

        long skippedCandidates(String member) {
            return skippedCandidates.getOrDefault(member, new AtomicLong()).get();
        }

        long skippedScores(String member) {
            return skippedScores.getOrDefault(member, new AtomicLong()).get();
        }
    }

    static final Counting METRICS = new Counting();
    static VerifierEngine engine;
    static DirectPrmReference reference;

    @BeforeAll
    static void open() throws Exception {
        engine = VerifierEngine.builder().modelDir(BundledModels.prm()).intraOpThreads(1).metrics(METRICS)
                .batch(BatchSettings.DEFAULTS.unbatched()).cacheBytes(0).build();
        reference = new DirectPrmReference(BundledModels.prm());
    }

    @AfterAll
    static void close() throws Exception {
        engine.close();
        reference.close();
    }

    private static List<CandidateResult> score(String verifier, String question, List<CandidateInput> candidates) {
        return engine.score(new ScoringRequest("t", verifier, question, candidates), Instant.now().plusSeconds(60))
                .join();
    }

    private static List<CandidateInput> allSteps(HeldoutSamples.Question q) {
        List<CandidateInput> in = new ArrayList<>();
        for (HeldoutSamples.Sample s : q.samples()) {
            if (!s.steps().isEmpty()) {
                in.add(CandidateInput.allSteps("s" + in.size(), s.steps()));
            }
        }
        return in;
    }

    private static int firstZero(float[] scores) {
        for (int j = 0; j < scores.length; j++) {
            if (scores[j] == 0f) {
                return j;
            }
        }
        return scores.length;
    }

    @Test
    void aStepTheRulesRejectScoresZeroAndEveryOtherStepThePrmsScore() throws Exception {
        long skippedBefore = METRICS.skippedScores("prm");
        int rejectedMidway = 0;
        int allValid = 0;
        int expectedSkipped = 0;
        for (HeldoutSamples.Question q : HeldoutSamples.read(6).questions()) {
            List<CandidateInput> in = allSteps(q);
            List<CandidateResult> rules = score("rules", q.question(), in);
            List<CandidateResult> stack = score("rules+prm", q.question(), in);
            for (int i = 0; i < in.size(); i++) {
                float[] s = stack.get(i).scores();
                List<String> steps = in.get(i).steps();
                int z = firstZero(rules.get(i).scores());
                assertThat(s).hasSize(steps.size());
                // what the stack asked the PRM about: the steps before the first one the rules reject
                float[] prm = z == 0 ? new float[0]
                        : score("prm", q.question(), List.of(CandidateInput.allSteps("p", steps.subList(0, z))))
                        .getFirst().scores();
                float[] direct = reference.score(q.question(), steps);
                for (int j = 0; j < s.length; j++) {
                    if (j < z) {
                        assertThat(s[j]).as("step %d of %s", j, steps).isEqualTo(prm[j]).isGreaterThan(0f);
                        assertThat(s[j]).isCloseTo(direct[j], within(1e-5f));
                    } else {
                        assertThat(s[j]).as("step %d of %s", j, steps).isZero();
                    }
                }
                expectedSkipped += s.length - z;
                if (z == s.length) {
                    allValid++;
                } else if (z > 0) {
                    rejectedMidway++;
                }
            }
        }
        assertThat(allValid).isPositive();
        assertThat(rejectedMidway).as("candidates the rules reject after a valid step").isPositive();
        assertThat(METRICS.skippedScores("prm") - skippedBefore).isEqualTo(expectedSkipped);
    }

    @Test
    void aNewestStepTheRulesRejectScoresZeroWithoutAPrmRun() {
        // a question whose samples hold newest steps the rules accept and ones they reject
        String question = null;
        List<CandidateInput> newest = new ArrayList<>();
        List<CandidateResult> rules = List.of();
        int accepted = 0;
        for (HeldoutSamples.Question q : HeldoutSamples.read(40).questions()) {
            newest = new ArrayList<>();
            for (CandidateInput c : allSteps(q)) {
                for (int k = 1; k <= c.steps().size(); k++) {
                    newest.add(CandidateInput.newestStep(c.id() + "-" + k, c.steps().subList(0, k)));
                }
            }
            rules = score("rules", q.question(), newest);
            accepted = (int) rules.stream().filter(r -> r.scores()[0] == 1f).count();
            if (accepted > 0 && accepted < newest.size()) {
                question = q.question();
                break;
            }
        }
        assertThat(question).as("a held-out question with rejected newest steps").isNotNull();

        long ran = METRICS.prmRows.get();
        long skipped = METRICS.skippedCandidates("prm");
        List<CandidateResult> stack = score("rules+prm", question, newest);
        assertThat(METRICS.prmRows.get() - ran).as("candidates the PRM ran").isEqualTo(accepted);
        assertThat(METRICS.skippedCandidates("prm") - skipped).isEqualTo(newest.size() - accepted);

        List<CandidateResult> prm = score("prm", question, newest);
        for (int i = 0; i < newest.size(); i++) {
            assertThat(stack.get(i).scores()).hasSize(1);
            float expected = rules.get(i).scores()[0] == 1f ? prm.get(i).scores()[0] : 0f;
            assertThat(stack.get(i).scores()[0]).as(newest.get(i).id()).isEqualTo(expected);
        }
    }

    @Test
    void aStackWithTheOrmGivesOneScorePerCandidate() {
        HeldoutSamples.Question q = HeldoutSamples.read(3).questions().get(2);
        List<CandidateInput> in = allSteps(q);
        List<CandidateResult> rules = score("rules", q.question(), in);
        List<CandidateResult> stack = score("rules+orm", q.question(), in);
        List<CandidateResult> orm = score("orm", q.question(), in);
        for (int i = 0; i < in.size(); i++) {
            float[] r = rules.get(i).scores();
            assertThat(stack.get(i).scores()).hasSize(1);
            assertThat(stack.get(i).scores()[0]).isEqualTo(r[r.length - 1] == 1f ? orm.get(i).scores()[0] : 0f);
        }
    }

    @Test
    void aMembersRefusalIsTheCandidatesAnswerUnderItsOwnIndex() {
        String question = "(17+25)*3-14";
        TokenLogprob sure = new TokenLogprob((float) Math.log(0.9), new float[] {(float) Math.log(0.9),
                (float) Math.log(0.1)});
        List<CandidateResult> r = score("rules+confidence", question, List.of(
                CandidateInput.allSteps("wrong", List.of("17+25=43")),
                CandidateInput.allSteps("no-logprobs", List.of("17+25=42", "42*3=126")),
                new CandidateInput("fine", List.of("17+25=42"), false, List.of(List.of(sure))),
                CandidateInput.allSteps("empty", List.of())));
        assertThat(r.get(0).scores()).containsExactly(0f);
        assertThat(r.get(1).code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
        assertThat(r.get(1).error()).startsWith("candidates[1] (id 'no-logprobs')")
                .contains("logprobs", "stack member 'confidence'");
        assertThat(r.get(2).scores()).hasSize(1);
        assertThat(r.get(2).scores()[0]).isCloseTo((float) (1 - 2 * Math.sqrt(0.9 * 0.1)), within(1e-5f));
        assertThat(r.get(3).error()).startsWith("candidates[3]").contains("steps is empty", "stack member 'rules'");
    }

    @Test
    void stackNamesAreCheckedAndDescribeListsTheDefaultStacks() {
        List<CandidateInput> one = List.of(CandidateInput.allSteps("a", List.of("1+2=3")));
        for (String[] bad : new String[][] {
                {"rules+nope", "member 'nope' is unknown"},
                {"rules+", "a member is empty"},
                {"prm+prm", "member 'prm' is listed twice"},
                {"rules+prm+orm+confidence", "at most 3 members"}}) {
            assertThatThrownBy(() -> score(bad[0], "1+2", one)).isInstanceOfSatisfying(VerifierException.class, e -> {
                assertThat(e.code()).isEqualTo(StatusCode.INVALID_ARGUMENT);
                assertThat(e.getMessage()).startsWith("verifier '" + bad[0] + "'").contains(bad[1]);
            });
        }
        assertThat(score(" rules + prm ", "1+2", one).getFirst().scores()).hasSize(1);
        assertThat(engine.stackNames()).containsExactly("rules+prm", "rules+orm");
        VerifierInfo stack = engine.describe().stream().filter(i -> i.name().equals("rules+prm")).findFirst()
                .orElseThrow();
        assertThat(stack.members()).containsExactly("rules", "prm");
        assertThat(stack.model()).isEqualTo("tts-testbed-prm");
        assertThat(stack.contextLength()).isEqualTo(256);
        assertThat(stack.tasks()).containsExactly("arithmetic");
    }
}
