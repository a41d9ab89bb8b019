package io.ttsmesh.search.budget;

import io.ttsmesh.search.scoring.Candidate;
import io.ttsmesh.search.scoring.CandidateScores;
import io.ttsmesh.search.scoring.ScoringException;
import io.ttsmesh.search.scoring.StepScorer;
import io.ttsmesh.search.status.StatusCode;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

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
        return checked(scores, candidates.size());
    }

    /**
     * Sends the candidates at once, from a thread of their own, and returns their scores to come: the search goes on
     * (its other branches still generating) while the verifier works. Their calls are held against the budget now and
     * spent when the verifier answers, whether or not the answer is read; a call that fails as a whole is not counted
     * (as a failed {@link #score} is not).
     *
     * @throws BudgetExhausted (before asking the verifier) when not every candidate can be afforded
     */
    public Ahead scoreAhead(List<Candidate> candidates) {
        meter.checkDeadline();
        meter.holdVerifierCalls(candidates.size());
        CompletableFuture<List<CandidateScores>> answer = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().name("score-ahead-" + requestId).start(() -> {
            List<CandidateScores> scores;
            try {
                scores = checked(scorer.scoreAhead(requestId, verifier, question, candidates, meter.deadline()),
                        candidates.size());
            } catch (Throwable t) {
                meter.settleHeldVerifierCalls(candidates.size(), false);
                answer.completeExceptionally(t);
                return;
            }
            meter.settleHeldVerifierCalls(candidates.size(), true);
            answer.complete(scores);
        });
        return new Ahead(answer, caller);
    }

    private static List<CandidateScores> checked(List<CandidateScores> scores, int candidates) {
        if (scores.size() != candidates) {
            throw new ScoringException(StatusCode.INTERNAL, "the verifier answered " + scores.size() + " results for "
                    + candidates + " candidates");
        }
        return scores;
    }

    /** Scores asked for ahead of time ({@link #scoreAhead}). */
    public static final class Ahead {
        private final CompletableFuture<List<CandidateScores>> answer;
        private final Thread caller;

        private Ahead(CompletableFuture<List<CandidateScores>> answer, Thread caller) {
            this.answer = answer;
            this.caller = caller;
        }

        /**
         * Waits for the scores (the scorer bounds the wait by the search's deadline).
         *
         * @throws ScoringException as {@link #score} would have thrown it; CANCELLED when this thread is interrupted
         *         (the call is then interrupted too)
         */
        public List<CandidateScores> join() {
            try {
                return answer.get();
            } catch (InterruptedException e) {
                caller.interrupt();
                Thread.currentThread().interrupt();
                throw new ScoringException(StatusCode.CANCELLED, "search cancelled");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new ScoringException(StatusCode.INTERNAL, String.valueOf(e.getCause()), e.getCause());
            }
        }
    }
}
