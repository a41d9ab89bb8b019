package io.ttsmesh.bench.eval.optimal;

import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.search.settings.RoutingTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A learned {@link RoutingLearner.Table} in the search module's routing-table format, the one the orchestrator's
 * {@code routed} strategy serves: per budget row, one route per (task, difficulty) cell with the chosen run's strategy,
 * verifier and aggregation and its training numbers.
 */
public final class RoutingTableFile {

    private RoutingTableFile() {
    }

    /**
     * @param alsoRoute questions whose (task, difficulty) must have a route even without training questions of their
     *                  own: they get the route {@link RoutingLearner.Table#route} gives them (the nearest difficulty of
     *                  their task), so the served table routes them as the learner does
     * @throws IllegalArgumentException when a chosen run cannot be served as a route (it has policies: a route is a
     *                                  strategy with its verifier and aggregation only)
     */
    public static RoutingTable of(RoutingLearner.Table table, String name, String description, List<Question> alsoRoute) {
        List<RoutingTable.Row> rows = new ArrayList<>();
        for (RoutingLearner.Row row : table.rows()) {
            List<RoutingTable.Route> routes = new ArrayList<>();
            Set<String> cells = new HashSet<>();
            for (RoutingLearner.Choice c : row.choices()) {
                RunConfig run = table.runs().get(c.run());
                Integer difficulty = difficulty(c.cell().difficulty());
                routes.add(route(run, c.cell().task(), difficulty, c.questions(), round(c.accuracy()), round(c.meanTokens())));
                cells.add(c.cell().task() + "\u0000" + difficulty);
            }
            for (Question q : alsoRoute) {
                if (cells.add(q.task() + "\u0000" + q.difficulty())) {
                    routes.add(route(table.route(row.budget(), q), q.task(), q.difficulty(), null, null, null));
                }
            }
            rows.add(new RoutingTable.Row(row.budget(), routes, round(row.expectedAccuracy()), round(row.expectedTokens())));
        }
        return new RoutingTable(name, description, rows);
    }

    private static RoutingTable.Route route(RunConfig run, String task, Integer difficulty, Integer questions,
                                            Double accuracy, Double meanTokens) {
        if (!run.policies().isEmpty()) {
            throw new IllegalArgumentException("run '" + run.name() + "' has policies; a route is a strategy with its "
                    + "verifier and aggregation only, so it cannot be served");
        }
        return new RoutingTable.Route(task, difficulty, run.strategy(), run.verifier(), run.aggregation(), run.name(),
                questions, accuracy, meanTokens);
    }

    /** A cell's label as a route's difficulty: the number, or null (any difficulty) for "unknown". */
    private static Integer difficulty(String label) {
        try {
            return Integer.valueOf(label);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    /** Writes the table and checks that it reads back as the same table. */
    public static void write(RoutingTable table, Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, table.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write routing table " + file, e);
        }
        if (!RoutingTable.read(file).equals(table)) {
            throw new IllegalStateException("routing table " + file + " does not read back as written");
        }
    }
}
