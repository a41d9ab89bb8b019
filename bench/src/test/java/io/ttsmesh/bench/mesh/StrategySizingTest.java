package io.ttsmesh.bench.mesh;

import io.ttsmesh.search.MethodSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StrategySizingTest {

    @Test
    void sizeGoesToTheStrategysSizeParameter() {
        assertThat(StrategySizing.at("beam_search", List.of("n", "width", "max_iterations"), 16))
                .isEqualTo(MethodSpec.of("beam_search", Map.of("n", "16")));
        assertThat(StrategySizing.at("best_first", List.of("k", "max_expansions", "length_cost"), 16))
                .isEqualTo(MethodSpec.of("best_first", Map.of("max_expansions", "16")));
        assertThat(StrategySizing.at("mcts", List.of("k", "iterations", "c"), 8))
                .isEqualTo(MethodSpec.of("mcts", Map.of("iterations", "8")));
    }

    @Test
    void aStrategyWithoutASizeIsRefused() {
        assertThatThrownBy(() -> StrategySizing.at("oracle", List.of("tau"), 16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("oracle");
    }
}
