package io.ttsmesh.search.sim;

import io.ttsmesh.search.scoring.Candidate;
import io.ttsmesh.search.scoring.CandidateScores;
import io.ttsmesh.search.scoring.StepScorer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** A verifier that scores a step by its text alone; counts the candidates it is asked to score. */
public final class ScriptedScorer implements StepScorer {

    private final ToDoubleFunction<String> stepScore;
    private long candidates;

    public ScriptedScorer(ToDoubleFunction<String> stepScore) {
        this.stepScore = stepScore;
    }

    @Override
    public List<CandidateScores> score(String requestId, String verifier, String question, List<Candidate> asked,
                                       Instant deadline) {
        candidates += asked.size();
        List<CandidateScores> out = new ArrayList<>();
        for (Candidate c : asked) {
            List<String> steps = c.lastStepOnly() ? c.steps().subList(c.steps().size() - 1, c.steps().size()) : c.steps();
            float[] s = new float[steps.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) stepScore.applyAsDouble(steps.get(i));
            }
            out.add(new CandidateScores(c.id(), s, null, null));
        }
        return out;
    }

    public long candidates() {
        return candidates;
    }
}
