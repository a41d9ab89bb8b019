package io.ttsmesh.search.sim;

import io.ttsmesh.search.scoring.Candidate;
import io.ttsmesh.search.scoring.CandidateScores;
import io.ttsmesh.search.scoring.StepScorer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process reward model for the simulator: a step scores high (around {@code right}) when it and every
 * step before it match the gold solution, low (around {@code wrong}) otherwise, with deterministic noise
 * (the same prefix always gets the same score). Counts every candidate it is asked to score.
 */
public final class SimulatedPrm implements StepScorer {

    private final double right;
    private final double wrong;
    private final double noise;
    private final AtomicLong candidates = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final List<Candidate> lastCall = new ArrayList<>();

    public SimulatedPrm(double right, double wrong, double noise) {
        this.right = right;
        this.wrong = wrong;
        this.noise = noise;
    }

    public static SimulatedPrm standard() {
        return new SimulatedPrm(0.8, 0.25, 0.15);
    }

    @Override
    public List<CandidateScores> score(String requestId, String verifier, String question, List<Candidate> asked,
                                       Instant deadline) {
        calls.incrementAndGet();
        candidates.addAndGet(asked.size());
        lastCall.clear();
        lastCall.addAll(asked);
        List<String> gold = Arithmetic.goldSteps(question);
        List<CandidateScores> out = new ArrayList<>();
        for (Candidate c : asked) {
            float[] scores = new float[c.steps().size()];
            boolean ok = true;
            for (int i = 0; i < scores.length; i++) {
                ok = ok && i < gold.size() && gold.get(i).equals(c.steps().get(i).strip());
                long seed = (question + "|" + String.join("\n", c.steps().subList(0, i + 1))).hashCode();
                double jitter = (new SplittableRandom(seed).nextDouble() * 2 - 1) * noise;
                scores[i] = (float) Math.max(0, Math.min(1, (ok ? right : wrong) + jitter));
            }
            float[] answer = c.lastStepOnly() ? new float[] {scores[scores.length - 1]} : scores;
            out.add(new CandidateScores(c.id(), answer, null, null));
        }
        return out;
    }

    /** Candidates scored so far (what the search must report as verifier calls). */
    public long candidates() {
        return candidates.get();
    }

    public long calls() {
        return calls.get();
    }

    public List<Candidate> lastCall() {
        return List.copyOf(lastCall);
    }
}
