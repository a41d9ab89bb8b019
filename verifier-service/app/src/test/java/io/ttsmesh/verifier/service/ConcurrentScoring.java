package io.ttsmesh.verifier.service;

import io.ttsmesh.proto.verifier.Candidate;
import io.ttsmesh.proto.verifier.CandidateScores;
import io.ttsmesh.proto.verifier.ScoreRequest;
import io.ttsmesh.proto.verifier.ScoreResponse;
import io.ttsmesh.proto.verifier.VerifierGrpc;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.verifier.DirectPrmReference;
import io.ttsmesh.verifier.HeldoutSamples;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Many concurrent ScoreSteps calls of random composition (1 to 8 candidates, random prefixes, some
 * newest-step-only) against the running service; every score must equal the direct ONNX Runtime
 * computation of that candidate alone.
 */
final class ConcurrentScoring {

    record Item(String question, List<String> steps, float[] expected) {
    }

    private ConcurrentScoring() {
    }

    /** Held-out generator samples with their reference scores (a step's score depends only on its prefix). */
    static List<Item> items(int questions) throws Exception {
        List<Item> out = new ArrayList<>();
        try (DirectPrmReference reference = new DirectPrmReference(BundledModels.prm())) {
            for (HeldoutSamples.Question q : HeldoutSamples.read(questions).questions()) {
                for (HeldoutSamples.Sample s : q.samples()) {
                    if (!s.steps().isEmpty()) {
                        out.add(new Item(q.question(), s.steps(), reference.score(q.question(), s.steps())));
                    }
                }
            }
        }
        return out;
    }

    /** @return how many candidate scores were compared */
    static int assertEqualsReference(VerifierGrpc.VerifierBlockingStub verifier, List<Item> items, int callers,
                                     int callsPerCaller) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int seed = c;
                done.add(pool.submit(() -> {
                    Random rnd = new Random(seed);
                    int compared = 0;
                    for (int call = 0; call < callsPerCaller; call++) {
                        Item first = items.get(rnd.nextInt(items.size()));
                        List<Item> same = items.stream().filter(i -> i.question().equals(first.question())).toList();
                        ScoreRequest.Builder req = ScoreRequest.newBuilder().setRequestId("c" + seed + "-" + call)
                                .setQuestion(first.question());
                        List<Item> picked = new ArrayList<>();
                        List<Integer> lengths = new ArrayList<>();
                        int n = 1 + rnd.nextInt(8);
                        for (int k = 0; k < n; k++) {
                            Item item = same.get(rnd.nextInt(same.size()));
                            int len = 1 + rnd.nextInt(item.steps().size());
                            boolean newest = rnd.nextBoolean();
                            req.addCandidates(Candidate.newBuilder().setId("k" + k)
                                    .addAllSteps(item.steps().subList(0, len)).setLastStepOnly(newest));
                            picked.add(item);
                            lengths.add(newest ? -len : len);
                        }
                        ScoreResponse resp = verifier.scoreSteps(req.build());
                        assertThat(resp.getRequestId()).isEqualTo(req.getRequestId());
                        assertThat(resp.getResultsCount()).isEqualTo(n);
                        for (int k = 0; k < n; k++) {
                            CandidateScores r = resp.getResults(k);
                            assertThat(r.getId()).isEqualTo("k" + k);
                            assertThat(r.getErrorCode()).as(r.getErrorMessage()).isZero();
                            int len = Math.abs(lengths.get(k));
                            float[] expected = picked.get(k).expected();
                            if (lengths.get(k) < 0) {
                                assertThat(r.getStepScoresList()).hasSize(1);
                                assertThat(r.getStepScores(0)).isCloseTo(expected[len - 1], within(1e-5f));
                            } else {
                                assertThat(r.getStepScoresList()).hasSize(len);
                                for (int j = 0; j < len; j++) {
                                    assertThat(r.getStepScores(j)).isCloseTo(expected[j], within(1e-5f));
                                }
                            }
                            compared++;
                        }
                    }
                    return compared;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }
}
