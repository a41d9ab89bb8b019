package io.ttsmesh.search.budget;

import io.ttsmesh.search.scoring.Candidate;
import io.ttsmesh.search.scoring.CandidateScores;
import io.ttsmesh.search.scoring.ScoringException;
import io.ttsmesh.search.scoring.StepScorer;
import io.ttsmesh.search.status.StatusCode;

import java.util.List;

/**
 * A verifier that cannot be asked more than the budget allows: the candidates of a call are checked
 * against the verifier budget before the call and counted after it (one call per candidate).
 */
public final class BudgetedScorer {

    private final StepScorer scorer;
    private final BudgetMeter meter;
    private final String requestId;
    private final String verifier;
    private final String question;

    public BudgetedScorer(StepScorer scorer, BudgetMeter meter, String requestId, String verifier, String question) {
        this.scorer = scorer;
        this.meter = meter;
        this.requestId = requestId;
        this.verifier = verifier;
        this.question = question;
    }

    public String verifier() {
        return verifier;
    }

    /**
     * @throws BudgetExhausted (before asking the verifier) when not every candidate can be afforded
     */
    public List<CandidateScores> score(List<Candidate> candidates) {
        meter.checkDeadline();
        meter.checkVerifierCalls(candidates.size());
        List<CandidateScores> scores = scorer.score(requestId, verifier, question, candidates, meter.deadline());
        meter.addVerifierCalls(candidates.size());
        if (scores.size() != candidates.size()) {
            throw new ScoringException(StatusCode.INTERNAL, "the verifier answered " + scores.size() + " results for "
                    + candidates.size() + " candidates");
        }
        return scores;
    }
}
