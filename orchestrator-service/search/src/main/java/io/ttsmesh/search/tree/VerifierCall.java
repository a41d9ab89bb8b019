package io.ttsmesh.search.tree;

import io.ttsmesh.search.budget.BudgetedScorer;
import io.ttsmesh.search.events.EventLog;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.scoring.Candidate;
import io.ttsmesh.search.scoring.CandidateScores;
import io.ttsmesh.search.scoring.ScoringException;
import io.ttsmesh.search.status.StatusCode;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores branches in one verifier call: asks for the newest step only when the earlier ones were scored before
 * (so the verifier can reuse the prefix), records the scores on the branches and reports each (BranchScored).
 */
final class VerifierCall {

    private final BudgetedScorer scorer;
    private final EventLog events;

    VerifierCall(BudgetedScorer scorer, EventLog events) {
        this.scorer = scorer;
        this.events = events;
    }

    /**
     * @param scored  the branches that got their scores
     * @param refused the branches the verifier refused (INVALID_ARGUMENT: longer than its context, ...)
     * @param refusal the verifier's reason for the first refusal, or null
     * @param failure what to throw once the refused ones are pruned: the verifier failed, or scored none of them
     *                for another reason than refusing them; null otherwise
     */
    record Outcome(List<Branch> scored, List<Branch> refused, String refusal, ScoringException failure) {
    }

    /** @throws io.ttsmesh.search.budget.BudgetExhausted when the verifier budget cannot cover every branch */
    Outcome score(List<Branch> todo) {
        boolean confidence = "confidence".equals(scorer.verifier());
        List<Candidate> asked = todo.stream().map(b -> new Candidate(Long.toString(b.id()), b.steps(),
                b.scoredSteps() > 0 && b.scoredSteps() == b.stepCount() - 1,
                confidence ? b.stepLogprobs() : List.of())).toList();
        List<CandidateScores> results = scorer.score(asked);
        List<Branch> scored = new ArrayList<>();
        List<Branch> refused = new ArrayList<>();
        CandidateScores firstError = null;
        String refusal = null;
        for (int i = 0; i < todo.size(); i++) {
            Branch b = todo.get(i);
            CandidateScores r = results.get(i);
            boolean newestOnly = asked.get(i).lastStepOnly();
            if (r.status() == StatusCode.INVALID_ARGUMENT) {
                // The verifier cannot take this candidate: the branch is out of this search, the search is not.
                refused.add(b);
                refusal = refusal == null ? r.error() : refusal;
            } else if (!r.ok() || r.stepScores() == null || r.stepScores().length == 0
                    || (!newestOnly && r.stepScores().length != b.stepCount())) {
                firstError = firstError == null ? r : firstError;
            } else {
                if (newestOnly) {
                    b.recordNewestScore(r.last());
                } else {
                    b.recordScores(r.stepScores());
                }
                scored.add(b);
                events.emit(new SearchEvent.BranchScored(b.id(), b.stepCount() - 1, b.lastScore(), b.score()));
            }
        }
        ScoringException failure = null;
        if (scored.isEmpty() && refused.size() < todo.size()) {
            StatusCode code = firstError.ok() ? StatusCode.INTERNAL : firstError.status();
            failure = new ScoringException(code, "the verifier scored none of " + todo.size() + " candidates: "
                    + (firstError.error() == null ? "wrong number of step scores" : firstError.error()));
        }
        return new Outcome(scored, refused, refusal, failure);
    }
}
