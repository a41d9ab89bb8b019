package io.ttsmesh.search.policy;

import io.ttsmesh.search.InvalidSearchRequest;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.run.SearchRunner;
import io.ttsmesh.search.settings.ComputeOptimalTable;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.sim.Recorded;
import io.ttsmesh.search.sim.Requests;
import io.ttsmesh.search.sim.SimulatedGenerator;
import io.ttsmesh.search.sim.SimulatedPrm;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class ComputeOptimalTest {

    public static ComputeOptimalTable table() {
        try (InputStream in = ComputeOptimalTest.class.getResourceAsStream("/compute-optimal/testbed-small.json")) {
            return ComputeOptimalTable.read(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void loadsATableAndLooksUpRowAndBin() {
        ComputeOptimalTable t = table();
        assertThat(t.name()).isEqualTo("unit-test-small");
        assertThat(t.difficulty()).isEqualTo(new ComputeOptimalTable.Difficulty(2, "prm", "last"));
        assertThat(t.budgets()).extracting(ComputeOptimalTable.BudgetRow::maxTokens).containsExactly(100L, 5000L);
        assertThat(t.lookup(10_000, 0.2).bin().strategy().spec()).isEqualTo(MethodSpec.of("beam_search", Map.of("n", "4", "width", "2")));
        assertThat(t.lookup(10_000, 0.5).binIndex()).isZero();
        assertThat(t.lookup(10_000, 0.51).bin().strategy().name()).isEqualTo("best_of_n");
        assertThat(t.lookup(5_000, 0.9).row().maxTokens()).isEqualTo(5000);
        assertThat(t.lookup(4_999, 0.9).bin().strategy().name()).isEqualTo("self_consistency");
        assertThat(t.lookup(10, 0.9).row().maxTokens()).isEqualTo(100);
        assertThat(t.budgets().get(1).bins().get(0).accuracy()).isEqualTo(0.31);
    }

    @Test
    void refusesTablesOfAnotherFormatOrVersionOrShape() {
        assertThatThrownBy(() -> read("{\"format\":\"x\",\"version\":1}")).hasMessageContaining("not a compute-optimal table");
        assertThatThrownBy(() -> read(valid().replace("\"version\": 1", "\"version\": 2"))).hasMessageContaining("version 2 is not supported");
        assertThatThrownBy(() -> read(valid().replace("\"max_estimate\": 1.0", "\"max_estimate\": 0.9"))).hasMessageContaining("must reach max_estimate 1.0");
        assertThatThrownBy(() -> read(valid().replace("\"samples\": 2", "\"samples\": 2, \"typo\": 1"))).hasMessageContaining("typo");
        assertThatThrownBy(() -> read("not json")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRunnerRefusesATableNamingAnInvalidStrategy() {
        ComputeOptimalTable bad = read(valid().replace("\"best_of_n\"", "\"best_of_m\""));
        assertThatThrownBy(() -> new SearchRunner(new SimulatedGenerator(0), SimulatedPrm.standard(),
                SearchSettings.defaults().toBuilder().computeOptimalTable(bad).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("best_of_m");
    }

    @Test
    void withoutATableThePolicyIsRefusedByName() {
        SearchRunner runner = new SearchRunner(new SimulatedGenerator(0), SimulatedPrm.standard(), SearchSettings.defaults());
        assertThatThrownBy(() -> runner.validate(Requests.of("1+2", "best_of_n", Map.of(), Requests.generous(),
                MethodSpec.of("compute_optimal"))))
                .isInstanceOfSatisfying(InvalidSearchRequest.class, e -> {
                    assertThat(e.field()).isEqualTo("policies[0].name");
                    assertThat(e.getMessage()).contains("needs a compute-optimal table");
                });
    }

    @Test
    void easyQuestionsGetTheCheapStrategyAndHardOnesTheSearch() {
        assertThat(choose(0.0)).isEqualTo("best_of_n");  // every sample right: high scores, easy
        assertThat(choose(1.0)).isEqualTo("beam_search"); // every step wrong: low scores, hard
    }

    private static String choose(double errorRate) {
        SimulatedGenerator generator = new SimulatedGenerator(errorRate);
        SimulatedPrm prm = SimulatedPrm.standard();
        SearchRunner runner = new SearchRunner(generator, prm,
                SearchSettings.defaults().toBuilder().computeOptimalTable(table()).build());
        Recorded events = new Recorded();
        SearchResult r = runner.run(Requests.of("(17+25)*3-14", "self_consistency", Map.of(), Requests.generous(),
                MethodSpec.of("compute_optimal")), events);
        events.assertWellFormed(r);
        assertThat(r.spend().generatedTokens()).isEqualTo(generator.lastSession().generatedTokens());
        assertThat((long) r.spend().verifierCalls()).isEqualTo(prm.candidates());
        SearchEvent.PolicyDecision choice = events.of(SearchEvent.PolicyDecision.class).stream()
                .filter(d -> d.policy().equals("compute_optimal")).findFirst().orElseThrow();
        assertThat(choice.action()).isEqualTo("choose");
        assertThat(choice.branchIds()).containsExactly(1L, 2L);
        assertThat(choice.reason()).contains("table unit-test-small").contains(r.strategy().name());
        // the two difficulty samples vote too
        assertThat(r.answers().stream().mapToInt(SearchResult.AnswerTally::votes).sum()).isGreaterThan(2);
        return r.strategy().name();
    }

    private static ComputeOptimalTable read(String json) {
        return ComputeOptimalTable.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String valid() {
        try (InputStream in = ComputeOptimalTest.class.getResourceAsStream("/compute-optimal/testbed-small.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
