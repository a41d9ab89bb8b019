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
 * Scores branches in one verifier call, or sends one ahead and collects it later ({@link ScoreAhead}): asks for the
 * newest step only when the earlier ones were scored before (so the verifier can reuse the prefix), records the scores
 * on the branches and reports each (BranchScored).
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

    /** Branches whose newest steps were sent ahead ({@link #sendAhead}), each as it stood then. */
    record Sent(List<Branch> branches, List<Candidate> asked, int[] stepCounts, BudgetedScorer.Ahead answer) {

        /** Whether the answer to come is for {@code b} as it stands now: sent, and not stepped since. */
        boolean covers(Branch b) {
            int i = branches.indexOf(b);
            return i >= 0 && b.stepCount() == stepCounts[i];
        }
    }

    /** @throws io.ttsmesh.search.budget.BudgetExhausted when the verifier budget cannot cover every branch */
    Outcome score(List<Branch> todo) {
        List<Candidate> asked = candidates(todo);
        return outcome(todo, asked, scorer.score(asked));
    }

    /**
     * Asks for the branches' scores now and returns at once; {@link #collect} records them.
     *
     * @throws io.ttsmesh.search.budget.BudgetExhausted when the verifier budget cannot cover every branch
     */
    Sent sendAhead(List<Branch> branches) {
        List<Candidate> asked = candidates(branches);
        int[] stepCounts = branches.stream().mapToInt(Branch::stepCount).toArray();
        return new Sent(List.copyOf(branches), asked, stepCounts, scorer.scoreAhead(asked));
    }

    /**
     * Waits for scores sent ahead and records those of the branches in {@code wanted} that the answer covers
     * ({@link Sent#covers}: a branch pruned or stepped since then is left out, its calls spent all the same).
     *
     * @return the outcome over the branches recorded or refused here
     */
    Outcome collect(Sent sent, List<Branch> wanted) {
        List<CandidateScores> results = sent.answer().join();
        List<Branch> todo = new ArrayList<>();
        List<Candidate> asked = new ArrayList<>();
        List<CandidateScores> answered = new ArrayList<>();
        for (int i = 0; i < sent.branches().size(); i++) {
            Branch b = sent.branches().get(i);
            if (wanted.contains(b) && sent.covers(b)) {
                todo.add(b);
                asked.add(sent.asked().get(i));
                answered.add(results.get(i));
            }
        }
        return outcome(todo, asked, answered);
    }

    /** The outcome of one scoring answered by two calls (one sent ahead) over {@code asked} branches in all. */
    static Outcome merge(Outcome ahead, Outcome rest, int asked) {
        List<Branch> scored = new ArrayList<>(ahead.scored());
        scored.addAll(rest.scored());
        List<Branch> refused = new ArrayList<>(ahead.refused());
        refused.addAll(rest.refused());
        String refusal = ahead.refusal() != null ? ahead.refusal() : rest.refusal();
        // As for one call: a failure only when nothing at all was scored and not everything refused.
        ScoringException failure = scored.isEmpty() && refused.size() < asked
                ? (ahead.failure() != null ? ahead.failure() : rest.failure()) : null;
        return new Outcome(scored, refused, refusal, failure);
    }

    private List<Candidate> candidates(List<Branch> todo) {
        boolean confidence = "confidence".equals(scorer.verifier());
        return todo.stream().map(b -> new Candidate(Long.toString(b.id()), b.steps(),
                b.scoredSteps() > 0 && b.scoredSteps() == b.stepCount() - 1,
                confidence ? b.stepLogprobs() : List.of())).toList();
    }

    private Outcome outcome(List<Branch> todo, List<Candidate> asked, List<CandidateScores> results) {
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
