package io.ttsmesh.bench.eval.config;

import io.ttsmesh.search.MethodSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileTest {

    private static EvalConfig parse(String json) {
        return ConfigFile.parse(json, "test.json", Path.of("/cfg"));
    }

    @Test
    void expandsSweepsAndAppliesDefaults() {
        EvalConfig c = parse("""
                {
                  // comments are allowed
                  "description": "a grid",
                  "defaults": { "budget": { "max_tokens": 5000, "deadline_ms": 60000 }, "sampling": { "temperature": 0.7 },
                                "aggregation": "min" },
                  "runs": [
                    { "name": "beam", "strategy": { "name": "beam_search", "params": { "width": 4 } },
                      "sweep": { "n": [4, 8], "width": ["2", "4"] } },
                    { "name": "wbon16", "strategy": { "name": "weighted_best_of_n", "params": { "n": 16 } } },
                    { "name": "pruned", "strategy": { "name": "weighted_best_of_n", "params": { "n": 16 } },
                      "policies": [ { "name": "prune", "params": { "fraction": 0.5, "floor": 4 } } ],
                      "sweep": { "prune.fraction": [0.25, 0.5], "budget.max_tokens": [1000, 2000] },
                      "baseline": "wbon16", "curve": "prune", "seed_key": "independent",
                      "budget": { "max_verifier_calls": 99 }, "sampling": { "top_k": 5, "top_logprobs": 3 },
                      "compute_optimal_table": "tables/t.json" }
                  ]
                }
                """);
        assertThat(c.description()).isEqualTo("a grid");
        assertThat(c.runs()).extracting(RunConfig::name)
                .containsExactly("beam@4", "beam@8", "wbon16", "pruned@0.25", "pruned@0.5");
        RunConfig beam8 = c.run("beam@8").orElseThrow();
        assertThat(beam8.strategy()).isEqualTo(MethodSpec.of("beam_search", Map.of("n", "8", "width", "4")));
        assertThat(beam8.curve()).isEqualTo("beam");
        assertThat(beam8.point()).isEqualTo("8");
        assertThat(beam8.budget().maxTokens()).isEqualTo(5000);
        assertThat(beam8.budget().maxVerifierCalls()).isEqualTo(ConfigFile.DEFAULT_BUDGET.maxVerifierCalls());
        assertThat(beam8.budget().deadline()).isEqualTo(Duration.ofSeconds(60));
        assertThat(beam8.sampling().temperature()).isEqualTo(0.7f);
        assertThat(beam8.aggregation()).isEqualTo("min");
        assertThat(beam8.seedKey()).isEmpty();
        RunConfig pruned = c.run("pruned@0.5").orElseThrow();
        assertThat(pruned.policies()).containsExactly(MethodSpec.of("prune", Map.of("fraction", "0.5", "floor", "4")));
        assertThat(pruned.budget().maxTokens()).isEqualTo(2000);
        assertThat(pruned.budget().maxVerifierCalls()).isEqualTo(99);
        assertThat(pruned.sampling().topK()).isEqualTo(5);
        assertThat(pruned.sampling().topLogprobs()).isEqualTo(3);
        assertThat(pruned.sampling().temperature()).isEqualTo(0.7f);
        assertThat(pruned.baseline()).isEqualTo("wbon16");
        assertThat(pruned.curve()).isEqualTo("prune");
        assertThat(pruned.seedKey()).isEqualTo("independent");
        assertThat(pruned.computeOptimalTable()).isEqualTo(Path.of("/cfg/tables/t.json"));
        assertThat(pruned.describe()).isEqualTo("weighted_best_of_n n=16 + prune(floor=4, fraction=0.5)");
    }

    @Test
    void aRunWithoutBudgetOrSamplingGetsTheGenerousDefaults() {
        RunConfig r = parse("{\"runs\": [{\"name\": \"sc\", \"strategy\": {\"name\": \"self_consistency\"}}]}").runs().get(0);
        assertThat(r.budget()).isEqualTo(ConfigFile.DEFAULT_BUDGET);
        assertThat(r.sampling().temperature()).isNull();
        assertThat(r.policies()).isEmpty();
        assertThat(r.verifier()).isNull();
    }

    @Test
    void reportsEachMistakeWithItsRunAndField() {
        assertThatThrownBy(() -> parse("{\"runs\": [ {\"name\": \"a\",, } ]}"))
                .isInstanceOf(InvalidConfig.class).hasMessageContaining("test.json: not valid JSON at line 1");
        assertThatThrownBy(() -> parse("{\"rns\": []}")).hasMessageContaining("unknown field 'rns'");
        assertThatThrownBy(() -> parse("{\"runs\": []}")).hasMessageContaining("\"runs\" must be a non-empty array");
        assertThatThrownBy(() -> parse("{\"runs\": [{\"strategy\": {\"name\": \"x\"}}]}"))
                .hasMessageContaining("runs[0].name: required");
        assertThatThrownBy(() -> parse("{\"runs\": [{\"name\": \"a b\", \"strategy\": {\"name\": \"x\"}}]}"))
                .hasMessageContaining("runs[0].name: 'a b' must be");
        assertThatThrownBy(() -> parse("{\"runs\": [{\"name\": \"a\"}]}"))
                .hasMessageContaining("run 'a'.strategy: required");
        assertThatThrownBy(() -> parse("{\"runs\": [{\"name\": \"a\", \"strategy\": {\"name\": \"x\"}, \"polices\": []}]}"))
                .hasMessageContaining("run 'a'").hasMessageContaining("unknown field 'polices'");
        assertThatThrownBy(() -> parse("{\"runs\": [{\"name\": \"a\", \"strategy\": {\"name\": \"x\", \"params\": {\"n\": [1]}}}]}"))
                .hasMessageContaining("run 'a'.strategy.params.n: must be a string, number or boolean");
        assertThatThrownBy(() -> parse("{\"runs\": [{\"name\": \"a\", \"strategy\": {\"name\": \"x\"}, \"budget\": {\"max_tokens\": 0}}]}"))
                .hasMessageContaining("run 'a'.budget: max_tokens must be at least 1");
        assertThatThrownBy(() -> parse("{\"runs\": [{\"name\": \"a\", \"strategy\": {\"name\": \"x\"}, \"budget\": {\"max_tokens\": \"many\"}}]}"))
                .hasMessageContaining("run 'a'.budget.max_tokens: must be an integer");
        assertThatThrownBy(() -> parse("{\"runs\": [{\"name\": \"a\", \"strategy\": {\"name\": \"x\"}, \"sampling\": {\"temperature\": \"hot\"}}]}"))
                .hasMessageContaining("run 'a'.sampling.temperature: must be a number");
        assertThatThrownBy(() -> parse("{\"runs\": [{\"name\": \"a\", \"strategy\": {\"name\": \"x\"}, \"sweep\": {\"n\": [1, 2], \"k\": [1]}}]}"))
                .hasMessageContaining("run 'a'.sweep.k: has 1 values, the first sweep key has 2");
        assertThatThrownBy(() -> parse("{\"runs\": [{\"name\": \"a\", \"strategy\": {\"name\": \"x\"}, \"sweep\": {\"prune.fraction\": [1]}}]}"))
                .hasMessageContaining("run 'a'.sweep.prune.fraction: the run has no policy 'prune'");
        assertThatThrownBy(() -> parse("{\"runs\": [{\"name\": \"a\", \"strategy\": {\"name\": \"x\"}, \"sweep\": {\"budget.tokens\": [1]}}]}"))
                .hasMessageContaining("unknown budget field 'tokens'");
        assertThatThrownBy(() -> parse("{\"runs\": [{\"name\": \"a\", \"strategy\": {\"name\": \"x\"}, \"sweep\": {\"n\": []}}]}"))
                .hasMessageContaining("run 'a'.sweep.n: must be a non-empty array");
        assertThatThrownBy(() -> parse("{\"runs\": [{\"name\": \"a\", \"strategy\": {\"name\": \"x\"}, \"sweep\": {\"n\": [1]}},"
                + "{\"name\": \"a@1\", \"strategy\": {\"name\": \"x\"}}]}"))
                .hasMessageContaining("run name 'a@1' is used twice");
        assertThatThrownBy(() -> parse("{\"runs\": [{\"name\": \"a\", \"strategy\": {\"name\": \"x\"}, \"baseline\": \"b\"}]}"))
                .hasMessageContaining("run 'a'.baseline: no run named 'b'");
        assertThatThrownBy(() -> parse("{\"runs\": [{\"name\": \"a\", \"strategy\": {\"name\": \"x\"}, \"baseline\": \"a\"}]}"))
                .hasMessageContaining("cannot be its own baseline");
    }

    @Test
    void severalFilesCombineAndABaselineMayBeInAnotherFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path grid = java.nio.file.Files.writeString(dir.resolve("grid.json"),
                "{\"runs\": [{\"name\": \"sc\", \"strategy\": {\"name\": \"self_consistency\"}, \"sweep\": {\"n\": [16]}}]}");
        Path policies = java.nio.file.Files.writeString(dir.resolve("policies.json"),
                "{\"runs\": [{\"name\": \"sc16+exit\", \"strategy\": {\"name\": \"self_consistency\"}, "
                        + "\"policies\": [{\"name\": \"consensus\"}], \"baseline\": \"sc@16\"}]}");
        EvalConfig both = ConfigFile.read(java.util.List.of(grid, policies));
        assertThat(both.runs()).extracting(RunConfig::name).containsExactly("sc@16", "sc16+exit");
        assertThatThrownBy(() -> ConfigFile.read(policies)).hasMessageContaining("no run named 'sc@16'");
        assertThat(ConfigFile.runsOf(policies)).hasSize(1);
        assertThatThrownBy(() -> ConfigFile.read(java.util.List.of(grid, grid))).hasMessageContaining("'sc@16' is used twice");
        assertThatThrownBy(() -> ConfigFile.read(dir.resolve("missing.json"))).hasMessageContaining("cannot read config");
    }

    @Test
    void selectingRunsNamesTheUnknownOne() {
        EvalConfig c = parse("{\"runs\": [{\"name\": \"a\", \"strategy\": {\"name\": \"x\"}, \"sweep\": {\"n\": [1, 2]}}]}");
        assertThat(c.only(java.util.List.of("a@2")).runs()).extracting(RunConfig::name).containsExactly("a@2");
        assertThatThrownBy(() -> c.only(java.util.List.of("a@3"))).hasMessageContaining("no run named 'a@3'")
                .hasMessageContaining("a@1, a@2");
    }
}
