package io.ttsmesh.bench.eval.config;

import io.ttsmesh.bench.BenchJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.generation.SamplingParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an evaluation config (JSON, comments allowed):
 * <pre>{@code
 * {
 *   "description": "what this grid is for",
 *   "defaults": {                                  // every run starts from these
 *     "budget": { "max_tokens": 40000, "max_verifier_calls": 20000, "deadline_ms": 600000 },
 *     "sampling": { "temperature": 0.8 },
 *     "verifier": "prm", "aggregation": "last" },
 *   "runs": [
 *     { "name": "beam_search",
 *       "strategy": { "name": "beam_search", "params": { "width": 4 } },
 *       "sweep": { "n": [4, 8, 16] },               // one run per value: beam_search@4, beam_search@8, ...
 *       "policies": [ { "name": "prune", "params": { "fraction": 0.5 } } ],
 *       "baseline": "weighted_best_of_n@16",       // optional: the run its savings are measured against
 *       "curve": "beam",                           // optional: plot series (default: the name)
 *       "seed_key": "",                            // optional: runs with the same key share random streams
 *       "compute_optimal_table": "bench/compute-optimal/testbed-v1.json" } ]   // optional, in-process only
 * }
 * }</pre>
 * Sweep keys name a strategy parameter ({@code n}), a policy parameter ({@code prune.fraction}) or a budget
 * field ({@code budget.max_tokens}); all value lists have the same length; the first key's value names the
 * run ({@code <name>@<value>}). Parameter values may be written as strings, numbers or booleans. Every mistake
 * is reported with the run and field it is in; the search module checks the method parameters themselves.
 */
public final class ConfigFile {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@+:-]{1,80}");
    private static final Set<String> TOP = Set.of("description", "defaults", "runs");
    private static final Set<String> DEFAULTS = Set.of("budget", "sampling", "verifier", "aggregation");
    private static final Set<String> RUN = Set.of("name", "strategy", "policies", "sweep", "budget", "sampling",
            "verifier", "aggregation", "baseline", "curve", "seed_key", "compute_optimal_table");
    private static final Set<String> METHOD = Set.of("name", "params");
    private static final Set<String> BUDGET = Set.of("max_tokens", "max_verifier_calls", "deadline_ms");
    private static final Set<String> SAMPLING = Set.of("temperature", "top_p", "top_k", "top_logprobs");

    /** Budget of a run that sets none: generous, so that the strategy's own parameters bound it. */
    public static final Budget DEFAULT_BUDGET = new Budget(40_000, 20_000, Duration.ofMinutes(10));

    private ConfigFile() {
    }

    public static EvalConfig read(Path file) {
        return read(List.of(file));
    }

    /**
     * Reads several configs as one: their runs in order, names unique over all of them, and a baseline may be a
     * run of another file.
     */
    public static EvalConfig read(List<Path> files) {
        if (files.isEmpty()) {
            throw new InvalidConfig("no config file given");
        }
        List<RunConfig> runs = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new InvalidConfig("cannot read config " + file + ": " + e.getMessage(), e);
            }
            Parsed p = runs(text, file.toString(), file.toAbsolutePath().getParent());
            runs.addAll(p.runs());
            if (!p.description().isEmpty()) {
                descriptions.add(p.description());
            }
        }
        String origin = String.join(" + ", files.stream().map(Path::toString).toList());
        check(runs, origin);
        return new EvalConfig(String.join(" ", descriptions), runs);
    }

    /** The runs one file defines (swept runs expanded), not checked against other files' runs. */
    public static List<RunConfig> runsOf(Path file) {
        try {
            return runs(Files.readString(file), file.toString(), file.toAbsolutePath().getParent()).runs();
        } catch (IOException e) {
            throw new InvalidConfig("cannot read config " + file + ": " + e.getMessage(), e);
        }
    }

    /** @param origin names the config in messages; @param base resolves relative table paths */
    public static EvalConfig parse(String text, String origin, Path base) {
        Parsed p = runs(text, origin, base);
        check(p.runs(), origin);
        return new EvalConfig(p.description(), p.runs());
    }

    private record Parsed(String description, List<RunConfig> runs) {
    }

    private static Parsed runs(String text, String origin, Path base) {
        JsonNode root;
        try {
            root = BenchJson.WITH_COMMENTS.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidConfig(origin + ": not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidConfig(origin + ": expected a JSON object with \"runs\"");
        }
        onlyKnown(root, TOP, origin);
        JsonNode defaultsNode = root.path("defaults");
        if (!defaultsNode.isMissingNode()) {
            object(defaultsNode, origin + ": defaults");
            onlyKnown(defaultsNode, DEFAULTS, origin + ": defaults");
        }
        Budget defaultBudget = budget(defaultsNode.path("budget"), DEFAULT_BUDGET, origin + ": defaults.budget");
        SamplingParams defaultSampling = sampling(defaultsNode.path("sampling"), SamplingParams.defaults(),
                origin + ": defaults.sampling");
        String defaultVerifier = optionalText(defaultsNode, "verifier", null, origin + ": defaults");
        String defaultAggregation = optionalText(defaultsNode, "aggregation", null, origin + ": defaults");

        JsonNode runsNode = root.path("runs");
        if (!runsNode.isArray() || runsNode.isEmpty()) {
            throw new InvalidConfig(origin + ": \"runs\" must be a non-empty array");
        }
        List<RunConfig> runs = new ArrayList<>();
        for (int i = 0; i < runsNode.size(); i++) {
            JsonNode r = runsNode.get(i);
            String where = origin + ": runs[" + i + "]";
            object(r, where);
            String name = requiredText(r, "name", where);
            if (!NAME.matcher(name).matches()) {
                throw new InvalidConfig(where + ".name: '" + name + "' must be 1-80 characters of [A-Za-z0-9._@+:-]");
            }
            where = origin + ": run '" + name + "'";
            onlyKnown(r, RUN, where);
            MethodSpec strategy = method(r.get("strategy"), where + ".strategy");
            List<MethodSpec> policies = new ArrayList<>();
            JsonNode ps = r.path("policies");
            if (!ps.isMissingNode()) {
                if (!ps.isArray()) {
                    throw new InvalidConfig(where + ".policies: must be an array of {\"name\", \"params\"}");
                }
                for (int j = 0; j < ps.size(); j++) {
                    policies.add(method(ps.get(j), where + ".policies[" + j + "]"));
                }
            }
            Budget budget = budget(r.path("budget"), defaultBudget, where + ".budget");
            SamplingParams sampling = sampling(r.path("sampling"), defaultSampling, where + ".sampling");
            String verifier = optionalText(r, "verifier", defaultVerifier, where);
            String aggregation = optionalText(r, "aggregation", defaultAggregation, where);
            String baseline = optionalText(r, "baseline", null, where);
            String curve = optionalText(r, "curve", name, where);
            String seedKey = r.has("seed_key") ? requiredString(r, "seed_key", where) : "";
            String tableText = optionalText(r, "compute_optimal_table", null, where);
            Path table = tableText == null ? null : (base == null ? Path.of(tableText) : base.resolve(tableText).normalize());
            RunConfig run = new RunConfig(name, curve, null, strategy, policies, budget, sampling, verifier, aggregation,
                    baseline, seedKey, table);
            JsonNode sweep = r.path("sweep");
            if (sweep.isMissingNode()) {
                runs.add(run);
            } else {
                runs.addAll(expand(run, sweep, where + ".sweep"));
            }
        }
        String description = root.path("description").isTextual() ? root.get("description").asText() : "";
        return new Parsed(description, runs);
    }

    /** Names unique, baselines naming runs (of any of the files). */
    private static void check(List<RunConfig> runs, String origin) {
        Set<String> names = new HashSet<>();
        for (RunConfig run : runs) {
            if (!names.add(run.name())) {
                throw new InvalidConfig(origin + ": run name '" + run.name() + "' is used twice");
            }
        }
        for (RunConfig run : runs) {
            if (run.baseline() != null && !names.contains(run.baseline())) {
                throw new InvalidConfig(origin + ": run '" + run.name() + "'.baseline: no run named '" + run.baseline() + "'");
            }
            if (run.name().equals(run.baseline())) {
                throw new InvalidConfig(origin + ": run '" + run.name() + "'.baseline: a run cannot be its own baseline");
            }
        }
    }

    private static List<RunConfig> expand(RunConfig run, JsonNode sweep, String where) {
        if (!sweep.isObject() || sweep.isEmpty()) {
            throw new InvalidConfig(where + ": must be an object of parameter -> array of values");
        }
        int length = -1;
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = sweep.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String w = where + "." + e.getKey();
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw new InvalidConfig(w + ": must be a non-empty array of values");
            }
            if (length >= 0 && e.getValue().size() != length) {
                throw new InvalidConfig(w + ": has " + e.getValue().size() + " values, the first sweep key has " + length);
            }
            length = e.getValue().size();
            List<String> vs = new ArrayList<>();
            for (JsonNode v : e.getValue()) {
                vs.add(scalar(v, w));
            }
            values.put(e.getKey(), vs);
        }
        List<RunConfig> out = new ArrayList<>();
        String first = values.keySet().iterator().next();
        for (int i = 0; i < length; i++) {
            MethodSpec strategy = run.strategy();
            List<MethodSpec> policies = new ArrayList<>(run.policies());
            Budget budget = run.budget();
            for (Map.Entry<String, List<String>> e : values.entrySet()) {
                String key = e.getKey();
                String value = e.getValue().get(i);
                if (key.startsWith("budget.")) {
                    budget = sweptBudget(budget, key.substring("budget.".length()), value, where + "." + key);
                } else if (key.contains(".")) {
                    String policy = key.substring(0, key.indexOf('.'));
                    String param = key.substring(key.indexOf('.') + 1);
                    int index = indexOf(policies, policy);
                    if (index < 0) {
                        throw new InvalidConfig(where + "." + key + ": the run has no policy '" + policy + "'");
                    }
                    policies.set(index, with(policies.get(index), param, value));
                } else {
                    strategy = with(strategy, key, value);
                }
            }
            String point = values.get(first).get(i);
            out.add(new RunConfig(run.name() + "@" + point, run.curve(), point, strategy, policies, budget,
                    run.sampling(), run.verifier(), run.aggregation(), run.baseline(), run.seedKey(),
                    run.computeOptimalTable()));
        }
        return out;
    }

    private static Budget sweptBudget(Budget b, String field, String value, String where) {
        long v = parseLong(value, where);
        return switch (field) {
            case "max_tokens" -> checkBudget(new Budget(v, b.maxVerifierCalls(), b.deadline()), where);
            case "max_verifier_calls" -> checkBudget(new Budget(b.maxTokens(), (int) v, b.deadline()), where);
            case "deadline_ms" -> checkBudget(new Budget(b.maxTokens(), b.maxVerifierCalls(), Duration.ofMillis(v)), where);
            default -> throw new InvalidConfig(where + ": unknown budget field '" + field + "' (" + String.join(", ", BUDGET) + ")");
        };
    }

    private static int indexOf(List<MethodSpec> policies, String name) {
        for (int i = 0; i < policies.size(); i++) {
            if (policies.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static MethodSpec with(MethodSpec spec, String param, String value) {
        Map<String, String> params = new LinkedHashMap<>(spec.params());
        params.put(param, value);
        return MethodSpec.of(spec.name(), params);
    }

    private static MethodSpec method(JsonNode node, String where) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new InvalidConfig(where + ": required ({\"name\": ..., \"params\": {...}})");
        }
        object(node, where);
        onlyKnown(node, METHOD, where);
        String name = requiredText(node, "name", where);
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode ps = node.path("params");
        if (!ps.isMissingNode()) {
            object(ps, where + ".params");
            for (Iterator<Map.Entry<String, JsonNode>> it = ps.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                params.put(e.getKey(), scalar(e.getValue(), where + ".params." + e.getKey()));
            }
        }
        return MethodSpec.of(name, params);
    }

    private static Budget budget(JsonNode node, Budget fallback, String where) {
        if (node.isMissingNode()) {
            return fallback;
        }
        object(node, where);
        onlyKnown(node, BUDGET, where);
        long tokens = node.has("max_tokens") ? longField(node, "max_tokens", where) : fallback.maxTokens();
        long calls = node.has("max_verifier_calls") ? longField(node, "max_verifier_calls", where) : fallback.maxVerifierCalls();
        long deadline = node.has("deadline_ms") ? longField(node, "deadline_ms", where) : fallback.deadline().toMillis();
        if (calls > Integer.MAX_VALUE) {
            throw new InvalidConfig(where + ".max_verifier_calls: too large (" + calls + ")");
        }
        return checkBudget(new Budget(tokens, (int) calls, Duration.ofMillis(deadline)), where);
    }

    private static Budget checkBudget(Budget b, String where) {
        if (b.maxTokens() < 1) {
            throw new InvalidConfig(where + ": max_tokens must be at least 1, got " + b.maxTokens());
        }
        if (b.maxVerifierCalls() < 0) {
            throw new InvalidConfig(where + ": max_verifier_calls must not be negative, got " + b.maxVerifierCalls());
        }
        if (b.deadline().toMillis() < 1) {
            throw new InvalidConfig(where + ": deadline_ms must be at least 1, got " + b.deadline().toMillis());
        }
        return b;
    }

    private static SamplingParams sampling(JsonNode node, SamplingParams fallback, String where) {
        if (node.isMissingNode()) {
            return fallback;
        }
        object(node, where);
        onlyKnown(node, SAMPLING, where);
        Float temperature = node.has("temperature") ? Float.valueOf((float) number(node, "temperature", where))
                : fallback.temperature();
        Float topP = node.has("top_p") ? Float.valueOf((float) number(node, "top_p", where)) : fallback.topP();
        Integer topK = node.has("top_k") ? Integer.valueOf((int) longField(node, "top_k", where)) : fallback.topK();
        int topLogprobs = node.has("top_logprobs") ? (int) longField(node, "top_logprobs", where) : fallback.topLogprobs();
        return new SamplingParams(temperature, topP, topK, null, topLogprobs);
    }

    private static String scalar(JsonNode v, String where) {
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isNumber() || v.isBoolean()) {
            return v.asText();
        }
        throw new InvalidConfig(where + ": must be a string, number or boolean, got " + v.getNodeType().name().toLowerCase());
    }

    private static void object(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new InvalidConfig(where + ": must be a JSON object");
        }
    }

    private static void onlyKnown(JsonNode node, Set<String> known, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new InvalidConfig(where + ": unknown field '" + f + "' (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String requiredText(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new InvalidConfig(where + "." + field + ": required (a non-empty string)");
        }
        return v.asText();
    }

    private static String requiredString(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new InvalidConfig(where + "." + field + ": must be a string");
        }
        return v.asText();
    }

    private static String optionalText(JsonNode node, String field, String fallback, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new InvalidConfig(where + "." + field + ": must be a non-empty string");
        }
        return v.asText();
    }

    private static long longField(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new InvalidConfig(where + "." + field + ": must be an integer, got " + v);
        }
        return v.asLong();
    }

    private static double number(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (!v.isNumber()) {
            throw new InvalidConfig(where + "." + field + ": must be a number, got " + v);
        }
        return v.asDouble();
    }

    private static long parseLong(String value, String where) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfig(where + ": must be an integer, got '" + value + "'");
        }
    }
}
