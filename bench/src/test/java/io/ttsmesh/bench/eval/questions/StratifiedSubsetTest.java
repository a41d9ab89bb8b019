package io.ttsmesh.bench.eval.questions;

import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;

import io.ttsmesh.runtime.BundledModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StratifiedSubsetTest {

    @Test
    void keepsEachDifficultysShareAndFileOrder() {
        List<Question> qs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            qs.add(new Question("q" + i, "1+1", "2", i < 50 ? 2 : i < 80 ? 3 : 4));
        }
        List<Question> sub = StratifiedSubset.of(qs, 10);
        assertThat(StratifiedSubset.counts(sub)).isEqualTo(Map.of("2", 5, "3", 3, "4", 2));
        assertThat(sub).extracting(Question::id).containsExactly("q0", "q1", "q2", "q3", "q4", "q50", "q51", "q52", "q80", "q81");
    }

    @Test
    void largestRemaindersFillTheSizeExactly() {
        List<Question> qs = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            qs.add(new Question("q" + i, "1+1", "2", i % 3));
        }
        assertThat(StratifiedSubset.of(qs, 4)).hasSize(4);
        assertThat(StratifiedSubset.of(qs, 9)).isEqualTo(qs);
        assertThat(StratifiedSubset.of(qs, 50)).isEqualTo(qs);
    }

    @Test
    void aLargerSubsetOfTheHeldOutSetContainsASmallerOne() {
        List<Question> held = QuestionFile.read(BundledModels.root().resolve("eval/heldout.jsonl"));
        List<Question> small = StratifiedSubset.of(held, 200);
        List<Question> large = StratifiedSubset.of(held, 400);
        assertThat(StratifiedSubset.counts(small)).isEqualTo(Map.of("2", 50, "3", 50, "4", 50, "5", 50));
        assertThat(large).containsAll(small);
    }
}
