package io.ttsmesh.search.choice;

import io.ttsmesh.search.SearchResult.AnswerTally;
import io.ttsmesh.search.tree.Branch;

import java.util.List;

/**
 * The outcome of answer selection.
 *
 * @param branch the chosen solution, or null when there is none
 * @param answer the chosen canonical answer, or null
 * @param tallies every answer the voting branches gave, best first by the selection's rule
 * @param note how the choice was made when it deviated from the rule (a fallback), else null
 */
public record Choice(Branch branch, String answer, List<AnswerTally> tallies, String note) {

    public static Choice none(String note) {
        return new Choice(null, null, List.of(), note);
    }
}
