package io.ttsmesh.search.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.scoring.Aggregation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The table the {@code routed} strategy serves (compute-optimal routing, Snell et al. 2024, with the question's own
 * task and difficulty as the difficulty signal): per mean-token budget, which strategy and verifier each (task,
 * difficulty) of questions gets. It is learned offline on training splits by {@code tts-bench report} and shipped
 * as a versioned JSON file:
 * <pre>{@code
 * {
 *   "format": "tts-mesh/routing-table",
 *   "version": 1,
 *   "name": "tasks-v1",                          // identifies the table in events
 *   "description": "learned by tts-bench report on ...",
 *   "budgets": [                                 // one row per budget; any order, each mean_tokens once
 *     { "mean_tokens": 600,                      // the mean generated tokens per question the row was learned for
 *       "expected_accuracy": 0.71, "expected_mean_tokens": 583,   // optional: over the training mix
 *       "routes": [                              // each (task, difficulty) once
 *         { "task": "countdown", "difficulty": 4,                  // Task.difficulty of the canonical question
 *           "strategy": { "name": "beam_search", "params": { "n": "8", "width": "4" } },
 *           "verifier": "rules+prm",             // optional: absent = the request's, else the task's default
 *           "aggregation": "last",               // optional: absent = the request's, else last
 *           "run": "beam_search+rules+prm@8",    // optional: what the harness measured (informational)
 *           "questions": 21, "accuracy": 0.52, "mean_tokens": 812 },
 *         { "task": "countdown",                 // no difficulty: the task's route for any difficulty not listed
 *           "strategy": { "name": "self_consistency", "params": { "n": "8" } } } ] } ]
 * }
 * }</pre>
 * The row used is the one with the largest {@code mean_tokens} not above the asked budget (the smallest row when all
 * are above); in it, the route of the question's task and difficulty, else the task's route without a difficulty.
 * Unknown fields are refused, so a misspelt key is an error rather than a silently ignored one.
 */
public record RoutingTable(String name, String description, List<Row> budgets) {

    public static final String FORMAT = "tts-mesh/routing-table";
    public static final int VERSION = 1;
    /** The strategy that serves a routing table; a route cannot name it. */
    public static final String STRATEGY = "routed";
    private static final Pattern TASK = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    /** Validates a table built in code as {@link #read} validates a file; the rows are kept by ascending budget. */
    public RoutingTable {
        if (name == null || name.isBlank()) {
            throw new InvalidRoutingTable("name", "required");
        }
        if (budgets == null || budgets.isEmpty()) {
            throw new InvalidRoutingTable("budgets", "must not be empty");
        }
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < budgets.size(); i++) {
            Row row = budgets.get(i);
            String field = "budgets[" + i + "]";
            if (row == null) {
                throw new InvalidRoutingTable(field, "required");
            }
            row.check(field);
            if (!seen.add(row.meanTokens())) {
                throw new InvalidRoutingTable(field + ".mean_tokens", "budget " + row.meanTokens() + " has two rows");
            }
        }
        budgets = budgets.stream().sorted(Comparator.comparingLong(Row::meanTokens)).toList();
    }

    /**
     * One budget's routes.
     *
     * @param expectedAccuracy and @param expectedMeanTokens what the harness expected over its training mix, or null
     */
    public record Row(long meanTokens, List<Route> routes, Double expectedAccuracy, Double expectedMeanTokens) {

        public Row {
            routes = routes == null ? null : List.copyOf(routes);
        }

        private void check(String field) {
            if (meanTokens < 1) {
                throw new InvalidRoutingTable(field + ".mean_tokens", "must be at least 1, got " + meanTokens);
            }
            checkShare(field + ".expected_accuracy", expectedAccuracy);
            checkNonNegative(field + ".expected_mean_tokens", expectedMeanTokens);
            if (routes == null || routes.isEmpty()) {
                throw new InvalidRoutingTable(field + ".routes", "must not be empty");
            }
            Set<String> cells = new HashSet<>();
            for (int j = 0; j < routes.size(); j++) {
                Route route = routes.get(j);
                String at = field + ".routes[" + j + "]";
                route.check(at);
                if (!cells.add(route.task() + "\u0000" + route.difficulty())) {
                    throw new InvalidRoutingTable(at, "task " + route.task() + (route.difficulty() == null
                            ? " has two routes without a difficulty" : ", difficulty " + route.difficulty() + " has two routes"));
                }
            }
        }

        /** The route of a question: its task and difficulty's, else its task's route without a difficulty. */
        public Optional<Route> route(String task, int difficulty) {
            Route fallback = null;
            for (Route r : routes) {
                if (!r.task().equals(task)) {
                    continue;
                }
                if (r.difficulty() != null && r.difficulty() == difficulty) {
                    return Optional.of(r);
                }
                if (r.difficulty() == null) {
                    fallback = r;
                }
            }
            return Optional.ofNullable(fallback);
        }
    }

    /**
     * What one (task, difficulty) of questions runs.
     *
     * @param difficulty null: every difficulty of the task that has no route of its own
     * @param verifier null: the request's verifier, else the task's default
     * @param aggregation null: the request's aggregation, else last
     * @param run the harness run the route was learned from, or null (informational, like the three after it)
     * @param questions training questions of the cell, or null
     * @param accuracy training accuracy of the run on the cell, or null
     * @param meanTokens training mean generated tokens of the run on the cell, or null
     */
    public record Route(String task, Integer difficulty, MethodSpec strategy, String verifier, String aggregation,
                        String run, Integer questions, Double accuracy, Double meanTokens) {

        private void check(String field) {
            if (task == null || !TASK.matcher(task).matches()) {
                throw new InvalidRoutingTable(field + ".task", "required: a task name (a-z, 0-9 and '-'), got "
                        + (task == null ? "none" : "'" + task + "'"));
            }
            if (difficulty != null && difficulty < 0) {
                throw new InvalidRoutingTable(field + ".difficulty", "must not be negative, got " + difficulty);
            }
            if (strategy == null || strategy.name() == null || strategy.name().isBlank()) {
                throw new InvalidRoutingTable(field + ".strategy.name", "required");
            }
            if (strategy.name().strip().equals(STRATEGY)) {
                throw new InvalidRoutingTable(field + ".strategy.name", "a route cannot be " + STRATEGY + " itself");
            }
            if (verifier != null && verifier.isBlank()) {
                throw new InvalidRoutingTable(field + ".verifier", "must not be empty (leave it out for the request's)");
            }
            if (aggregation != null) {
                try {
                    Aggregation.parse(aggregation);
                } catch (IllegalArgumentException e) {
                    throw new InvalidRoutingTable(field + ".aggregation", e.getMessage());
                }
            }
            if (questions != null && questions < 0) {
                throw new InvalidRoutingTable(field + ".questions", "must not be negative, got " + questions);
            }
            checkShare(field + ".accuracy", accuracy);
            checkNonNegative(field + ".mean_tokens", meanTokens);
        }

        /** "countdown 4" or "countdown (any difficulty)". */
        public String cell() {
            return task + (difficulty == null ? " (any difficulty)" : " " + difficulty);
        }
    }

    /** The row of a budget: the largest mean_tokens not above it, else the smallest row. */
    public Row row(long meanTokens) {
        Row chosen = budgets.getFirst();
        for (Row r : budgets) {
            if (r.meanTokens() <= meanTokens) {
                chosen = r;
            }
        }
        return chosen;
    }

    /** Every route of every row. */
    public List<Route> routes() {
        return budgets.stream().flatMap(r -> r.routes().stream()).toList();
    }

    private static void checkShare(String field, Double v) {
        if (v != null && !(v >= 0 && v <= 1)) {
            throw new InvalidRoutingTable(field, "must be in [0, 1], got " + v);
        }
    }

    private static void checkNonNegative(String field, Double v) {
        if (v != null && !(v >= 0 && Double.isFinite(v))) {
            throw new InvalidRoutingTable(field, "must be a finite number not below 0, got " + v);
        }
    }

    // ------------------------------------------------------------------ file format

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Reads a table.
     *
     * @throws InvalidRoutingTable naming the field when the text is not a valid table of a supported version
     */
    public static RoutingTable read(InputStream json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidRoutingTable("(file)", "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return of(root);
    }

    public static RoutingTable read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read routing table " + file, e);
        }
    }

    public static RoutingTable parse(String json) {
        return read(new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Whether a file declares this format (its "format" field), whatever else it holds. */
    public static boolean declaresFormat(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            JsonNode root = JSON.readTree(in);
            return root != null && FORMAT.equals(root.path("format").asText(null));
        } catch (IOException e) {
            return false;
        }
    }

    private static RoutingTable of(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidRoutingTable("(file)", "must be a JSON object");
        }
        String format = text(root, "format", "format");
        if (!FORMAT.equals(format)) {
            throw new InvalidRoutingTable("format", "not a routing table: format is " + (format == null ? "missing"
                    : "'" + format + "'") + ", expected '" + FORMAT + "'");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isIntegralNumber() || version.asInt() != VERSION) {
            throw new InvalidRoutingTable("version", "version " + (version == null ? "missing" : version.toString())
                    + " is not supported (only " + VERSION + ")");
        }
        known(root, "", Set.of("format", "version", "name", "description", "budgets"));
        List<Row> rows = new ArrayList<>();
        JsonNode budgets = root.get("budgets");
        if (budgets != null && !budgets.isNull() && !budgets.isArray()) {
            throw new InvalidRoutingTable("budgets", "must be an array of rows");
        }
        for (int i = 0; budgets != null && i < budgets.size(); i++) {
            rows.add(row(budgets.get(i), "budgets[" + i + "]"));
        }
        return new RoutingTable(text(root, "name", "name"), text(root, "description", "description"), rows);
    }

    private static Row row(JsonNode node, String field) {
        object(node, field);
        known(node, field, Set.of("mean_tokens", "routes", "expected_accuracy", "expected_mean_tokens"));
        Long meanTokens = integer(node, "mean_tokens", field);
        if (meanTokens == null) {
            throw new InvalidRoutingTable(field + ".mean_tokens", "required");
        }
        JsonNode routes = node.get("routes");
        if (routes != null && !routes.isNull() && !routes.isArray()) {
            throw new InvalidRoutingTable(field + ".routes", "must be an array of routes");
        }
        List<Route> out = new ArrayList<>();
        for (int j = 0; routes != null && j < routes.size(); j++) {
            out.add(route(routes.get(j), field + ".routes[" + j + "]"));
        }
        return new Row(meanTokens, out, number(node, "expected_accuracy", field), number(node, "expected_mean_tokens", field));
    }

    private static Route route(JsonNode node, String field) {
        object(node, field);
        known(node, field, Set.of("task", "difficulty", "strategy", "verifier", "aggregation", "run", "questions",
                "accuracy", "mean_tokens"));
        Long difficulty = integer(node, "difficulty", field);
        Long questions = integer(node, "questions", field);
        return new Route(text(node, "task", field + ".task"), difficulty == null ? null : Math.toIntExact(difficulty),
                strategy(node.get("strategy"), field + ".strategy"), text(node, "verifier", field + ".verifier"),
                text(node, "aggregation", field + ".aggregation"), text(node, "run", field + ".run"),
                questions == null ? null : Math.toIntExact(questions), number(node, "accuracy", field),
                number(node, "mean_tokens", field));
    }

    private static MethodSpec strategy(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw new InvalidRoutingTable(field, "required: { \"name\": ..., \"params\": { ... } }");
        }
        object(node, field);
        known(node, field, Set.of("name", "params"));
        String name = text(node, "name", field + ".name");
        if (name == null || name.isBlank()) {
            throw new InvalidRoutingTable(field + ".name", "required");
        }
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode p = node.get("params");
        if (p != null && !p.isNull()) {
            object(p, field + ".params");
            for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw new InvalidRoutingTable(field + ".params." + e.getKey(), "must be a string, number or boolean");
                }
                params.put(e.getKey(), e.getValue().asText());
            }
        }
        return MethodSpec.of(name, params);
    }

    private static void object(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw new InvalidRoutingTable(field, "must be a JSON object");
        }
    }

    private static void known(JsonNode node, String field, Set<String> keys) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                throw new InvalidRoutingTable(field.isEmpty() ? key : field + "." + key, "unknown field (known: "
                        + String.join(", ", keys.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String text(JsonNode node, String key, String field) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidRoutingTable(field, "must be a string, got " + v);
        }
        return v.asText();
    }

    private static Long integer(JsonNode node, String key, String field) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidRoutingTable(field + "." + key, "must be an integer, got " + v);
        }
        return v.asLong();
    }

    private static Double number(JsonNode node, String key, String field) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new InvalidRoutingTable(field + "." + key, "must be a number, got " + v);
        }
        return v.asDouble();
    }

    /** The table in its file format (optional fields that are null left out), as {@link #read} reads it back. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT).put("version", VERSION).put("name", name);
        if (description != null) {
            root.put("description", description);
        }
        ArrayNode rows = root.putArray("budgets");
        for (Row row : budgets) {
            ObjectNode r = rows.addObject().put("mean_tokens", row.meanTokens());
            putIfSet(r, "expected_accuracy", row.expectedAccuracy());
            putIfSet(r, "expected_mean_tokens", row.expectedMeanTokens());
            ArrayNode routes = r.putArray("routes");
            for (Route route : row.routes()) {
                ObjectNode o = routes.addObject().put("task", route.task());
                if (route.difficulty() != null) {
                    o.put("difficulty", route.difficulty());
                }
                ObjectNode s = o.putObject("strategy").put("name", route.strategy().name());
                ObjectNode params = s.putObject("params");
                route.strategy().params().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(e -> params.put(e.getKey(), e.getValue()));
                if (route.verifier() != null) {
                    o.put("verifier", route.verifier());
                }
                if (route.aggregation() != null) {
                    o.put("aggregation", route.aggregation());
                }
                if (route.run() != null) {
                    o.put("run", route.run());
                }
                if (route.questions() != null) {
                    o.put("questions", route.questions());
                }
                putIfSet(o, "accuracy", route.accuracy());
                putIfSet(o, "mean_tokens", route.meanTokens());
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putIfSet(ObjectNode node, String key, Double value) {
        if (value != null) {
            node.put(key, value);
        }
    }
}
