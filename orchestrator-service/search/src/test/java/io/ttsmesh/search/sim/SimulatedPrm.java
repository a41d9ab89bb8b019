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
    private final long callDelayMillis;
    private final AtomicLong candidates = new AtomicLong();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong aheadCalls = new AtomicLong();
    private final List<Integer> aheadSizes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Candidate> lastCall = new ArrayList<>();

    public SimulatedPrm(double right, double wrong, double noise) {
        this(right, wrong, noise, 0);
    }

    private SimulatedPrm(double right, double wrong, double noise, long callDelayMillis) {
        this.right = right;
        this.wrong = wrong;
        this.noise = noise;
        this.callDelayMillis = callDelayMillis;
    }

    public static SimulatedPrm standard() {
        return new SimulatedPrm(0.8, 0.25, 0.15);
    }

    /** {@link #standard()} scores, each call taking {@code millis} as a verifier's model would. */
    public static SimulatedPrm taking(long millis) {
        return new SimulatedPrm(0.8, 0.25, 0.15, millis);
    }

    @Override
    public List<CandidateScores> score(String requestId, String verifier, String question, List<Candidate> asked,
                                       Instant deadline) {
        calls.incrementAndGet();
        candidates.addAndGet(asked.size());
        if (callDelayMillis > 0) {
            try {
                Thread.sleep(callDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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

    @Override
    public List<CandidateScores> scoreAhead(String requestId, String verifier, String question, List<Candidate> asked,
                                            Instant deadline) {
        aheadCalls.incrementAndGet();
        aheadSizes.add(asked.size());
        return score(requestId, verifier, question, asked, deadline);
    }

    /** Candidates scored so far (what the search must report as verifier calls). */
    public long candidates() {
        return candidates.get();
    }

    /** Calls so far, those sent ahead included. */
    public long calls() {
        return calls.get();
    }

    /** Calls sent ahead ({@link #scoreAhead}) while the search's other branches were still generating. */
    public long aheadCalls() {
        return aheadCalls.get();
    }

    /** The calls the search waited for, one after another: all but those sent ahead. */
    public long awaitedCalls() {
        return calls.get() - aheadCalls.get();
    }

    /** How many candidates each call sent ahead carried, in order. */
    public List<Integer> aheadSizes() {
        return List.copyOf(aheadSizes);
    }

    public List<Candidate> lastCall() {
        return List.copyOf(lastCall);
    }
}
