package io.ttsmesh.bench.eval.questions;

import io.ttsmesh.mesh.questions.Question;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A held-out set of several tasks in equal shares, built deterministically from one question file per task: from
 * each file a {@link StratifiedSubset} of {@code size / tasks} questions (by difficulty, the first of each in file
 * order; the first files get one more when {@code size} does not divide), then interleaved one question of each file
 * in turn. Like the stratified subsets it is made of, a larger mixed set contains a smaller one, and each task's
 * share is contained in that task's larger stratified subsets (on the committed files, whose difficulties are evenly
 * spread): searches already made on those questions are reused, not repeated.
 */
public final class MixedSet {

    private MixedSet() {
    }

    /**
     * @param perTask each task's questions (one file each, in the order given)
     * @throws IllegalArgumentException when two files share a question id (results are keyed by it)
     */
    public static List<Question> of(List<List<Question>> perTask, int size) {
        if (perTask.isEmpty()) {
            throw new IllegalArgumentException("a mixed set needs at least one question file");
        }
        if (size < perTask.size()) {
            throw new IllegalArgumentException("a mixed set of " + perTask.size() + " files needs at least "
                    + perTask.size() + " questions, got " + size);
        }
        List<List<Question>> shares = new ArrayList<>();
        for (int i = 0; i < perTask.size(); i++) {
            int share = size / perTask.size() + (i < size % perTask.size() ? 1 : 0);
            shares.add(StratifiedSubset.of(perTask.get(i), share));
        }
        Map<String, String> taskOfId = new HashMap<>();
        for (List<Question> share : shares) {
            for (Question q : share) {
                String before = taskOfId.putIfAbsent(q.id(), q.task());
                if (before != null) {
                    throw new IllegalArgumentException("question id '" + q.id() + "' is in two files of the mixed set ("
                            + before + " and " + q.task() + "); results are keyed by id");
                }
            }
        }
        List<Question> out = new ArrayList<>(size);
        for (int i = 0; out.size() < shares.stream().mapToInt(List::size).sum(); i++) {
            for (List<Question> share : shares) {
                if (i < share.size()) {
                    out.add(share.get(i));
                }
            }
        }
        return List.copyOf(out);
    }
}
