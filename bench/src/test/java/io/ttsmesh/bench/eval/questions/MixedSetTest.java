package io.ttsmesh.bench.eval.questions;

import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;

import io.ttsmesh.runtime.BundledModels;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MixedSetTest {

    private static List<Question> file(String task, String prefix, int n, int difficulties, int first) {
        List<Question> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Question(prefix + i, task, "q" + i, null, first + i % difficulties));
        }
        return out;
    }

    @Test
    void halfOfEachFileStratifiedByDifficultyAndInterleaved() {
        List<Question> arithmetic = file("arithmetic", "a", 40, 4, 2);
        List<Question> countdown = file("countdown", "c", 30, 3, 3);
        List<Question> mixed = MixedSet.of(List.of(arithmetic, countdown), 12);
        assertThat(mixed).extracting(Question::id)
                .containsExactly("a0", "c0", "a1", "c1", "a2", "c2", "a3", "c3", "a4", "c4", "a5", "c5");
        assertThat(StratifiedSubset.counts(mixed)).containsEntry("arithmetic 2", 2).containsEntry("arithmetic 3", 2)
                .containsEntry("arithmetic 4", 1).containsEntry("arithmetic 5", 1)
                .containsEntry("countdown 3", 2).containsEntry("countdown 4", 2).containsEntry("countdown 5", 2);
        assertThat(MixedSet.of(List.of(arithmetic, countdown), 12)).isEqualTo(mixed);
    }

    @Test
    void anOddSizeGivesTheFirstFileOneMoreAndASmallerSetIsInsideALargerOne() {
        List<Question> arithmetic = file("arithmetic", "a", 40, 4, 2);
        List<Question> countdown = file("countdown", "c", 30, 3, 3);
        List<Question> seven = MixedSet.of(List.of(arithmetic, countdown), 7);
        assertThat(seven.stream().filter(q -> q.task().equals("arithmetic"))).hasSize(4);
        assertThat(seven.stream().filter(q -> q.task().equals("countdown"))).hasSize(3);
        assertThat(MixedSet.of(List.of(arithmetic, countdown), 24)).containsAll(MixedSet.of(List.of(arithmetic, countdown), 12));
        // each task's share lies inside that task's larger stratified subsets (where the report's ladders ran)
        assertThat(StratifiedSubset.of(countdown, 9)).containsAll(seven.stream().filter(q -> q.task().equals("countdown")).toList());
    }

    @Test
    void sharedIdsAreRefused() {
        List<Question> a = file("arithmetic", "x", 4, 2, 2);
        List<Question> c = file("countdown", "x", 4, 2, 3);
        assertThatThrownBy(() -> MixedSet.of(List.of(a, c), 4)).hasMessageContaining("question id 'x0' is in two files");
        assertThatThrownBy(() -> MixedSet.of(List.of(a, c), 1)).hasMessageContaining("at least 2");
    }

    /** The report's mixed set, from the committed held-out files. */
    @Test
    void theCommittedHeldOutFilesMixWithoutSharedIds() {
        Path arithmetic = BundledModels.root().resolve("eval/heldout.jsonl");
        Path countdown = BundledModels.root().resolve("countdown/eval/heldout.jsonl");
        List<Question> mixed = MixedSet.of(List.of(QuestionFile.read(arithmetic), QuestionFile.read(countdown)), 100);
        assertThat(mixed).hasSize(100);
        assertThat(mixed.stream().filter(q -> q.task().equals("countdown"))).hasSize(50)
                .allSatisfy(q -> assertThat(q.question()).matches("(\\d+ ){3,5}-> \\d+"));
        assertThat(mixed.get(0).task()).isEqualTo("arithmetic");
        assertThat(mixed.get(1).task()).isEqualTo("countdown");
    }
}
