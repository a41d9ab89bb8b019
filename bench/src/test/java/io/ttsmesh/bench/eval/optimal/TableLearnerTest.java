package io.ttsmesh.bench.eval.optimal;

import io.ttsmesh.bench.eval.config.ConfigFile;
import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.search.settings.ComputeOptimalTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import static org.assertj.core.api.Assertions.assertThat;

class TableLearnerTest {

    private static final List<RunConfig> RUNS = ConfigFile.parse("""
            { "runs": [ { "name": "bon", "strategy": { "name": "best_of_n" }, "sweep": { "n": [1, 16] } },
                        { "name": "beam", "strategy": { "name": "beam_search", "params": { "n": 8, "width": 4 } } } ] }
            """, "t", null).runs();

    private static QuestionResult result(String run, int q, boolean correct, long tokens) {
        return new QuestionResult(run, "f", "q" + q, "arithmetic", 2, "1", correct ? "1" : "2", correct, null, tokens, 0, 0, 0, 1, 1,
                "COMPLETED", "", null, 1, null, null, null, null, "m", "t");
    }

    private static List<QuestionResult> results(String run, long tokens, IntPredicate correct) {
        List<QuestionResult> out = new ArrayList<>();
        for (int q = 0; q < 100; q++) {
            out.add(result(run, q, correct.test(q), tokens));
        }
        return out;
    }

    /**
     * Questions 0-49 are easy (estimate 0.9, everything solves them), 50-99 hard (estimate 0.2): best-of-16
     * solves 30 of them, beam 40, best-of-1 none. A small budget affords only best-of-1; a middle one best-of-16
     * but not beam; a large one beam for the hard half, and still the cheapest perfect candidate for the easy half.
     */
    @Test
    void choosesTheMostAccurateCandidateThatFitsEachBudgetPerDifficultyBin() {
        Map<String, Double> estimates = new HashMap<>();
        Map<String, Long> probe = new HashMap<>();
        for (int q = 0; q < 100; q++) {
            estimates.put("q" + q, q < 50 ? 0.9 : 0.2);
            probe.put("q" + q, 100L);
        }
        List<TableLearner.Candidate> candidates = List.of(
                new TableLearner.Candidate(RUNS.get(0), results("bon@1", 50, q -> q < 50)),
                new TableLearner.Candidate(RUNS.get(1), results("bon@16", 800, q -> q < 80)),
                new TableLearner.Candidate(RUNS.get(2), results("beam", 1500, q -> q < 90)));
        TableLearner.Learned learned = new TableLearner(new TableLearner.Settings(4, 2, 0.9, "prm", "last"))
                .learn("t-v1", "test", estimates, probe, candidates, List.of(200L, 1000L, 2000L));
        ComputeOptimalTable t = learned.table();
        assertThat(learned.edges()).containsExactly(0.2, 1.0);
        assertThat(t.lookup(200, 0.2).bin().strategy().name()).isEqualTo("best_of_n");
        assertThat(t.lookup(200, 0.2).bin().strategy().params()).containsEntry("n", "1");
        assertThat(t.lookup(1000, 0.2).bin().strategy().params()).containsEntry("n", "16");
        assertThat(t.lookup(2000, 0.2).bin().strategy().name()).isEqualTo("beam_search");
        assertThat(t.lookup(2000, 0.9).bin().strategy().params()).containsEntry("n", "1");
        assertThat(t.lookup(2000, 0.2).bin().accuracy()).isEqualTo(0.8);
        assertThat(t.lookup(2000, 0.2).bin().meanTokens()).isEqualTo(1600.0);
        assertThat(learned.cells().get(2000L)).extracting(TableLearner.Cell::chosen).containsExactly("beam", "bon@1");
        assertThat(t.difficulty()).isEqualTo(new ComputeOptimalTable.Difficulty(4, "prm", "last"));
    }

    @Test
    void whenNothingFitsTheCheapestCandidateIsNamed() {
        Map<String, Double> estimates = Map.of("q0", 0.5, "q1", 0.6);
        List<TableLearner.Candidate> candidates = List.of(
                new TableLearner.Candidate(RUNS.get(1), results("bon@16", 800, q -> true)),
                new TableLearner.Candidate(RUNS.get(2), results("beam", 1500, q -> true)));
        ComputeOptimalTable t = new TableLearner(new TableLearner.Settings(2, 1, 0.9, null, null))
                .learn("t", "d", estimates, Map.of(), candidates, List.of(10L)).table();
        assertThat(t.budgets()).hasSize(1);
        assertThat(t.lookup(10, 0.5).bin().strategy().name()).isEqualTo("best_of_n");
    }

    @Test
    void quantileEdgesAscendAndEndAtOne() {
        assertThat(TableLearner.edges(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}, 4))
                .containsExactly(0.2, 0.4, 0.6, 1.0);
        assertThat(TableLearner.edges(new double[] {0.5, 0.5, 0.5, 0.5}, 4)).containsExactly(0.5, 1.0);
        assertThat(TableLearner.bin(new double[] {0.2, 0.4, 1.0}, 0.2)).isZero();
        assertThat(TableLearner.bin(new double[] {0.2, 0.4, 1.0}, 0.25)).isEqualTo(1);
    }

    @Test
    void writesAVersionedTableTheSearchModuleReads(@TempDir Path dir) {
        Path file = dir.resolve("testbed-v1.json");
        TableFile.write(TableFile.probe(4, "prm", "last"), file);
        ComputeOptimalTable read = ComputeOptimalTable.read(file);
        assertThat(read.format()).isEqualTo(ComputeOptimalTable.FORMAT);
        assertThat(read.version()).isEqualTo(1);
        assertThat(read.difficulty().samples()).isEqualTo(4);
        assertThat(read.lookup(100, 0.3).bin().strategy().name()).isEqualTo("self_consistency");
    }
}
