package io.ttsmesh.search.routing;

import io.ttsmesh.search.MethodSpec;
import org.junit.jupiter.api.Test;
import io.ttsmesh.search.settings.InvalidRoutingTable;
import io.ttsmesh.search.settings.RoutingTable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class RoutingTableTest {

    public static RoutingTable table() {
        return RoutingTable.parse(text());
    }

    static String text() {
        try (InputStream in = RoutingTableTest.class.getResourceAsStream("/routing/tasks-small.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void readsRowsInBudgetOrderWithTheirRoutesAndTrainingNumbers() {
        RoutingTable t = table();
        assertThat(t.name()).isEqualTo("unit-test-routes");
        assertThat(t.budgets()).extracting(RoutingTable.Row::meanTokens).containsExactly(150L, 600L);
        RoutingTable.Row row = t.row(600);
        assertThat(row.expectedAccuracy()).isEqualTo(0.62);
        assertThat(row.expectedMeanTokens()).isEqualTo(540.0);
        RoutingTable.Route four = row.route("countdown", 4).orElseThrow();
        assertThat(four.strategy()).isEqualTo(MethodSpec.of("best_of_n", Map.of("n", "5")));
        assertThat(four.verifier()).isEqualTo("rules");
        assertThat(four.aggregation()).isNull();
        assertThat(four.run()).isEqualTo("best_of_n+rules@5");
        assertThat(four.questions()).isEqualTo(21);
        assertThat(four.accuracy()).isEqualTo(0.52);
        assertThat(four.meanTokens()).isEqualTo(812.0);
        // a number as a parameter value is read as its text, as a request's parameters are
        assertThat(row.route("arithmetic", 2).orElseThrow().strategy().params()).containsEntry("n", "2");
        assertThat(t.routes()).hasSize(8);
    }

    @Test
    void writtenAndReadBackItIsTheSameTable(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        RoutingTable t = table();
        Path file = dir.resolve("t.json");
        Files.writeString(file, t.toJson());
        assertThat(RoutingTable.read(file)).isEqualTo(t);
        assertThat(RoutingTable.declaresFormat(file)).isTrue();
        Files.writeString(file, "{\"format\": \"tts-mesh/compute-optimal-table\"}");
        assertThat(RoutingTable.declaresFormat(file)).isFalse();
        assertThat(t.toJson()).contains("\"format\" : \"tts-mesh/routing-table\"").contains("\"version\" : 1")
                .doesNotContain("null");
    }

    @Test
    void theRowIsTheLargestBudgetNotAboveTheAskedOneElseTheSmallest() {
        RoutingTable t = table();
        assertThat(t.row(600).meanTokens()).isEqualTo(600);
        assertThat(t.row(1_000_000).meanTokens()).isEqualTo(600);
        assertThat(t.row(599).meanTokens()).isEqualTo(150);
        assertThat(t.row(150).meanTokens()).isEqualTo(150);
        assertThat(t.row(10).meanTokens()).isEqualTo(150);
    }

    @Test
    void aQuestionGetsItsCellsRouteElseItsTasksRouteForAnyDifficulty() {
        RoutingTable.Row row = table().row(600);
        assertThat(row.route("countdown", 3).orElseThrow().strategy().name()).isEqualTo("self_consistency");
        assertThat(row.route("countdown", 5).orElseThrow().strategy().name()).isEqualTo("beam_search");
        assertThat(row.route("arithmetic", 2).orElseThrow().difficulty()).isEqualTo(2);
        RoutingTable.Route any = row.route("arithmetic", 4).orElseThrow();
        assertThat(any.difficulty()).isNull();
        assertThat(any.cell()).isEqualTo("arithmetic (any difficulty)");
        assertThat(row.route("countdown", 6)).isEmpty();
        assertThat(row.route("chess", 1)).isEmpty();
    }

    @Test
    void refusesWhatItCannotServeNamingTheField() {
        refused("not json", "(file)", "not JSON");
        refused("[1, 2]", "(file)", "JSON object");
        refused(text().replace("tts-mesh/routing-table", "tts-mesh/compute-optimal-table"), "format",
                "not a routing table");
        refused(text().replace("\"version\": 1", "\"version\": 2"), "version", "version 2 is not supported");
        refused(text().replace("\"name\": \"unit-test-routes\",", ""), "name", "required");
        refused(text().replace("\"difficulty\": 4", "\"difficulty\": \"four\""), "budgets[0].routes[3].difficulty",
                "must be an integer");
        refused(text().replace("\"difficulty\": 4", "\"difficulty\": -4"), "budgets[0].routes[3].difficulty",
                "must not be negative");
        refused(text().replace("\"difficulty\": 4", "\"difficulty\": 3"), "budgets[0].routes[3]",
                "countdown, difficulty 3 has two routes");
        refused(text().replace("\"difficulty\": 4, \"strategy\"", "\"difficulty\": 4, \"difficuly\": 4, \"strategy\""),
                "budgets[0].routes[3].difficuly", "unknown field");
        refused(text().replace("\"mean_tokens\": 150", "\"mean_tokens\": 600"), "budgets[1].mean_tokens",
                "budget 600 has two rows");
        refused(text().replace("\"mean_tokens\": 150", "\"mean_tokens\": 0"), "budgets[1].mean_tokens", "at least 1");
        refused(text().replace("\"aggregation\": \"min\"", "\"aggregation\": \"median\""), "budgets[0].routes[1].aggregation",
                "unknown aggregation 'median'");
        refused(text().replace("\"task\": \"countdown\", \"difficulty\": 5", "\"task\": \"Count Down\", \"difficulty\": 5"),
                "budgets[0].routes[4].task", "a task name");
        refused(text().replace("{ \"name\": \"beam_search\"", "{ \"nam\": \"beam_search\""),
                "budgets[0].routes[4].strategy.nam", "unknown field");
        refused(text().replace("\"beam_search\"", "\"routed\""), "budgets[0].routes[4].strategy.name", "cannot be routed");
        refused(text().replace("\"verifier\": \"rules+prm\"", "\"verifier\": \" \""), "budgets[0].routes[4].verifier",
                "must not be empty");
        refused(text().replace("\"accuracy\": 0.52", "\"accuracy\": 52"), "budgets[0].routes[3].accuracy", "[0, 1]");
        refused(text().replace("\"params\": { \"n\": \"5\" }", "\"params\": { \"n\": [5] }"),
                "budgets[0].routes[3].strategy.params.n", "string, number or boolean");
        refused("{\"format\": \"tts-mesh/routing-table\", \"version\": 1, \"name\": \"x\", \"budgets\": []}", "budgets",
                "must not be empty");
        refused("{\"format\": \"tts-mesh/routing-table\", \"version\": 1, \"name\": \"x\", \"budgets\": "
                + "[{\"mean_tokens\": 100, \"routes\": []}]}", "budgets[0].routes", "must not be empty");
    }

    @Test
    void aTableBuiltInCodeIsCheckedAlike() {
        RoutingTable.Route route = new RoutingTable.Route("countdown", 4, MethodSpec.of("best_of_n"), null, null, null,
                null, null, null);
        assertThatThrownBy(() -> new RoutingTable("t", null, List.of(new RoutingTable.Row(100, List.of(route, route),
                null, null)))).isInstanceOfSatisfying(InvalidRoutingTable.class,
                e -> assertThat(e.field()).isEqualTo("budgets[0].routes[1]"));
    }

    private static void refused(String json, String field, String message) {
        assertThatThrownBy(() -> RoutingTable.parse(json)).isInstanceOfSatisfying(InvalidRoutingTable.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(field).contains(message);
        });
    }
}
