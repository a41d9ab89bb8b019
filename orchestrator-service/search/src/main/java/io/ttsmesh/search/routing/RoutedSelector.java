package io.ttsmesh.search.routing;

import io.ttsmesh.search.InvalidSearchRequest;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.settings.RoutingTable;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.ParamSpec;
import io.ttsmesh.search.catalog.Params;
import io.ttsmesh.task.Task;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The strategy {@value #NAME}: a selector that wraps the other strategies. When a request is validated it picks, from
 * the server's {@link RoutingTable}, the strategy (and verifier, aggregation) for the request's task and the
 * question's difficulty, which {@link Task#difficulty} reads from the canonical question: known before anything
 * runs, no samples spent. The search then runs that strategy; its Started event names the selector, a
 * PolicyDecision (policy {@value #NAME}, action "route") the route taken, and its result the strategy that ran.
 */
public final class RoutedSelector {

    public static final String NAME = RoutingTable.STRATEGY;
    public static final String MEAN_TOKENS = "mean_tokens";

    private RoutedSelector() {
    }

    /** Its catalog entry and parameters (the catalog lists it only where a routing table is configured). */
    public static MethodDefinition<Params> definition(SearchSettings settings) {
        return new MethodDefinition<>(NAME, "run the strategy and verifier that the server's routing table names for "
                + "the question's task and difficulty at a mean-token budget (compute-optimal routing)", false,
                List.of(ParamSpec.integer(MEAN_TOKENS, 0, 0, settings.maxBudgetTokens(), "the table's row: the one with "
                        + "the largest mean tokens not above this (the smallest row when all are above); 0: not above "
                        + "budget.max_tokens")), p -> p);
    }

    /**
     * What the selector chose for one request.
     *
     * @param selector the selector as it ran (its parameters with their defaults)
     * @param asked the budget the row was looked up with (mean_tokens, or budget.max_tokens when mean_tokens is 0)
     * @param difficulty the question's difficulty as its task counts it (-1: unknown)
     */
    public record Selection(String table, MethodSpec selector, long asked, RoutingTable.Row row, RoutingTable.Route route,
                            int difficulty) {

        /** The PolicyDecision's reason: the table, row, cell and what runs. */
        public String reason() {
            RoutingTable.Route r = route;
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "table %s, row %d mean tokens (asked %d), "
                            + "%s question of difficulty %d -> route %s: %s %s", table, row.meanTokens(), asked, r.task(),
                    difficulty, r.cell(), r.strategy().name(), new java.util.TreeMap<>(r.strategy().params())));
            if (r.verifier() != null) {
                sb.append(" with verifier ").append(r.verifier());
            }
            if (r.aggregation() != null) {
                sb.append(", aggregation ").append(r.aggregation());
            }
            if (r.run() != null) {
                sb.append(" (run ").append(r.run());
                if (r.accuracy() != null && r.meanTokens() != null) {
                    sb.append(String.format(Locale.ROOT, ": training accuracy %.3f at %.0f mean tokens", r.accuracy(),
                            r.meanTokens()));
                }
                sb.append(')');
            }
            return sb.toString();
        }

        /** The PolicyDecision's numbers. */
        public Map<String, Double> values() {
            return Map.of("row_mean_tokens", (double) row.meanTokens(), "difficulty", (double) difficulty,
                    "route_any_difficulty", route.difficulty() == null ? 1.0 : 0.0);
        }
    }

    /**
     * Picks the route of a request.
     *
     * @param params the selector's parsed parameters
     * @param question the canonical question of {@code task}
     * @param maxTokens the request's budget.max_tokens
     * @throws InvalidSearchRequest naming "task" (the table routes none of the task's questions at that row) or
     *                              "question" (none of its difficulty, and the task has no route for any difficulty)
     */
    public static Selection select(RoutingTable table, Params params, Task task, String question, long maxTokens) {
        long asked = params.longValue(MEAN_TOKENS) > 0 ? params.longValue(MEAN_TOKENS) : maxTokens;
        RoutingTable.Row row = table.row(asked);
        int difficulty;
        try {
            difficulty = task.difficulty(question);
        } catch (RuntimeException e) {
            difficulty = -1;
        }
        RoutingTable.Route route = row.route(task.name(), difficulty).orElse(null);
        if (route == null) {
            TreeSet<Integer> known = new TreeSet<>();
            row.routes().stream().filter(r -> r.task().equals(task.name()) && r.difficulty() != null)
                    .forEach(r -> known.add(r.difficulty()));
            String where = "routing table " + table.name() + " (row " + row.meanTokens() + " mean tokens)";
            if (known.isEmpty()) {
                throw new InvalidSearchRequest("task", NAME + ": " + where + " has no route for task " + task.name()
                        + " (it routes " + String.join(", ", new TreeSet<>(row.routes().stream()
                        .map(RoutingTable.Route::task).toList())) + "); ask for another strategy");
            }
            throw new InvalidSearchRequest("question", NAME + ": " + where + " has no route for " + task.name()
                    + " questions of difficulty " + (difficulty < 0 ? "unknown" : Integer.toString(difficulty))
                    + " (it routes difficulties " + known.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b)
                    .orElse("") + "); ask for another strategy");
        }
        return new Selection(table.name(), params.spec(NAME), asked, row, route, difficulty);
    }
}
