package io.ttsmesh.search.scoring;

import java.time.Instant;
import java.util.List;

/**
 * Port: a verifier that scores the steps of candidate solutions (the verifier service over gRPC, or
 * the scoring engine in-process). Blocks the calling (virtual) thread until answered or the deadline
 * passes; failures throw {@link ScoringException}.
 */
public interface StepScorer {

    /**
     * Scores each candidate's steps: one score in [0, 1] per step, or only the newest step's when the
     * candidate asks for it. Results come back in the order of {@code candidates}; a candidate that could
     * not be scored has an error instead of scores.
     */
    List<CandidateScores> score(String requestId, String verifier, String question, List<Candidate> candidates,
                                Instant deadline);

    /**
     * {@link #score}, for candidates sent ahead while the search's other branches are still generating: the search
     * waits for the answer later, or not at all. A scorer that counts the calls a search waits for tells them apart.
     */
    default List<CandidateScores> scoreAhead(String requestId, String verifier, String question,
                                             List<Candidate> candidates, Instant deadline) {
        return score(requestId, verifier, question, candidates, deadline);
    }
}
