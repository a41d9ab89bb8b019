package io.ttsmesh.bench.report;

import io.ttsmesh.bench.eval.config.ConfigFile;
import io.ttsmesh.bench.eval.config.InvalidConfig;
import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.bench.eval.execution.Fingerprint;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskStudyTest {

    private static final Path CONFIGS = Path.of("eval/report");

    /** The report's configs name shared runs alike, so a search made for one part is the other part's too. */
    @Test
    void theCommittedConfigsDefineSharedRunsAlike() {
        List<RunConfig> runs = new ArrayList<>();
        for (String f : List.of("strategies.json", "candidates.json", "ladder.json", "router-candidates.json")) {
            runs.addAll(ConfigFile.runsOf(CONFIGS.resolve(f)));
        }
        for (RunConfig template : ConfigFile.runsOf(CONFIGS.resolve("equal-tokens.json"))) {
            runs.add(TaskStudy.atSize(template, "n", 8));
        }
        TaskStudy.sameDefinitions(runs);
        List<String> ladder = ConfigFile.runsOf(CONFIGS.resolve("ladder.json")).stream().map(RunConfig::name).toList();
        assertThat(ladder).contains("self_consistency@8", "best_of_n+oracle@16", "weighted_best_of_n+confidence@8",
                "mcts+rules+prm@16", "beam_search@8");
        // the ladder's prm column is the grid's own runs, and a matched self-consistency at 16 is the ladder's
        assertThat(ladder).containsAll(List.of("best_of_n@8", "best_of_n@16", "dvts@16"));
        assertThat(runs.stream().filter(r -> r.name().equals("self_consistency@8")).count()).isGreaterThan(2);
    }

    @Test
    void aRunDefinedTwiceDifferentlyIsRefused() {
        List<RunConfig> runs = new ArrayList<>(ConfigFile.parse("""
                { "runs": [ { "name": "bon", "strategy": { "name": "best_of_n" }, "sweep": { "n": [8] } } ] }
                """, "a", null).runs());
        runs.addAll(ConfigFile.parse("""
                { "runs": [ { "name": "bon", "strategy": { "name": "best_of_n" }, "verifier": "rules", "sweep": { "n": [8] } } ] }
                """, "b", null).runs());
        assertThatThrownBy(() -> TaskStudy.sameDefinitions(runs)).isInstanceOf(InvalidConfig.class)
                .hasMessageContaining("run 'bon@8' is defined differently");
    }

    @Test
    void aFamilyAtAnotherSizeIsNamedAndDefinedAsTheConfigsWouldDefineIt() {
        RunConfig beam = ConfigFile.runsOf(CONFIGS.resolve("router-candidates.json")).stream()
                .filter(r -> r.name().equals("beam_search+rules+prm@8")).findFirst().orElseThrow();
        RunConfig at16 = TaskStudy.atSize(beam, "n", 16);
        assertThat(at16.name()).isEqualTo("beam_search+rules+prm@16");
        RunConfig configured = ConfigFile.runsOf(CONFIGS.resolve("ladder.json")).stream()
                .filter(r -> r.name().equals("beam_search+rules+prm@16")).findFirst().orElseThrow();
        assertThat(Fingerprint.of(at16, 1, "m")).isEqualTo(Fingerprint.of(configured, 1, "m"));
        assertThat(TaskStudy.family(at16)).isEqualTo("beam_search+rules+prm");
        RunConfig mcts = ConfigFile.runsOf(CONFIGS.resolve("ladder.json")).stream()
                .filter(r -> r.name().equals("mcts+rules+prm@8")).findFirst().orElseThrow();
        assertThat(TaskStudy.sizeParam(mcts)).isEqualTo("iterations");
        assertThat(TaskStudy.atSize(mcts, "iterations", 12).strategy().params()).containsEntry("iterations", "12")
                .containsEntry("k", "4");
    }
}
