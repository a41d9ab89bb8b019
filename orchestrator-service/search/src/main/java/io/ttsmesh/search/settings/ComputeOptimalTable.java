package io.ttsmesh.search.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.ttsmesh.search.MethodSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The table of the compute_optimal policy (Snell et al. 2024): for a token budget and an estimated
 * difficulty, the strategy and N to run. It is learned offline by the evaluation harness on the training
 * split and shipped as a versioned JSON file:
 * <pre>{@code
 * {
 *   "format": "tts-mesh/compute-optimal-table",
 *   "version": 1,
 *   "name": "testbed-2026-11-24",                 // identifies the learned table in results and events
 *   "description": "learned by bench on models/eval/train.jsonl, seed 7",
 *   "difficulty": {                               // how the estimate is made; the runtime repeats it exactly
 *     "samples": 4,                               // whole samples drawn first
 *     "verifier": "prm",                          // scores them (the request's verifier must match)
 *     "aggregation": "last"                       // of their step scores (the request's must match)
 *   },
 *   "budgets": [                                  // one row per token budget, ascending max_tokens
 *     { "max_tokens": 2000,
 *       "bins": [                                 // ascending max_estimate; the last must reach 1.0
 *         { "max_estimate": 0.35, "strategy": { "name": "beam_search", "params": { "n": "8", "width": "4" } },
 *           "accuracy": 0.41, "mean_tokens": 1830 },   // optional: what the harness measured
 *         { "max_estimate": 1.0, "strategy": { "name": "weighted_best_of_n", "params": { "n": "4" } } } ] } ]
 * }
 * }</pre>
 * The estimate is the mean aggregated verifier score of the difficulty samples (high = easy). The row used
 * is the one with the largest {@code max_tokens} not above the request's token budget (the smallest row
 * when all are above); in it, the first bin whose {@code max_estimate} is at least the estimate.
 */
public record ComputeOptimalTable(String format, int version, String name, String description, Difficulty difficulty,
                                  List<BudgetRow> budgets) {

    public static final String FORMAT = "tts-mesh/compute-optimal-table";
    public static final int VERSION = 1;

    public ComputeOptimalTable {
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("not a compute-optimal table: format is '" + format + "', expected '" + FORMAT + "'");
        }
        if (version != VERSION) {
            throw new IllegalArgumentException("compute-optimal table version " + version + " is not supported (only " + VERSION + ")");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("compute-optimal table needs a name");
        }
        if (difficulty == null || difficulty.samples() < 1) {
            throw new IllegalArgumentException("compute-optimal table: difficulty.samples must be at least 1");
        }
        if (budgets == null || budgets.isEmpty()) {
            throw new IllegalArgumentException("compute-optimal table: budgets must not be empty");
        }
        budgets = budgets.stream().sorted(Comparator.comparingLong(BudgetRow::maxTokens)).toList();
        for (BudgetRow row : budgets) {
            if (row.bins() == null || row.bins().isEmpty()) {
                throw new IllegalArgumentException("compute-optimal table: budget row " + row.maxTokens() + " has no bins");
            }
            double previous = Double.NEGATIVE_INFINITY;
            for (Bin bin : row.bins()) {
                if (bin.maxEstimate() <= previous) {
                    throw new IllegalArgumentException("compute-optimal table: bins of budget row " + row.maxTokens()
                            + " must have ascending max_estimate");
                }
                if (bin.strategy() == null || bin.strategy().name() == null) {
                    throw new IllegalArgumentException("compute-optimal table: a bin of budget row " + row.maxTokens() + " names no strategy");
                }
                previous = bin.maxEstimate();
            }
            if (previous < 1.0) {
                throw new IllegalArgumentException("compute-optimal table: the last bin of budget row " + row.maxTokens()
                        + " must reach max_estimate 1.0");
            }
        }
    }

    /** @param verifier and @param aggregation as the table was learned with; null means "any" */
    public record Difficulty(int samples, String verifier, String aggregation) {
    }

    public record BudgetRow(long maxTokens, List<Bin> bins) {
    }

    /** @param accuracy and @param meanTokens what the harness measured for this bin (informational, may be null) */
    public record Bin(double maxEstimate, StrategyEntry strategy, Double accuracy, Double meanTokens) {
    }

    public record StrategyEntry(String name, Map<String, String> params) {
        public MethodSpec spec() {
            return new MethodSpec(name, params == null ? Map.of() : params);
        }
    }

    /** What the table says for one search. */
    public record Lookup(BudgetRow row, int binIndex, Bin bin) {
    }

    public Lookup lookup(long maxTokens, double estimate) {
        BudgetRow row = budgets.get(0);
        for (BudgetRow r : budgets) {
            if (r.maxTokens() <= maxTokens) {
                row = r;
            }
        }
        List<Bin> bins = row.bins();
        for (int i = 0; i < bins.size(); i++) {
            if (estimate <= bins.get(i).maxEstimate()) {
                return new Lookup(row, i, bins.get(i));
            }
        }
        return new Lookup(row, bins.size() - 1, bins.get(bins.size() - 1));
    }

    /** Every strategy the table may choose. */
    public List<StrategyEntry> strategies() {
        return budgets.stream().flatMap(r -> r.bins().stream()).map(Bin::strategy).toList();
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /**
     * Reads a table.
     *
     * @throws IllegalArgumentException when the file is not a valid table of a supported version
     */
    public static ComputeOptimalTable read(InputStream json) {
        try {
            return JSON.readValue(json, ComputeOptimalTable.class);
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException("invalid compute-optimal table: " + cause.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ComputeOptimalTable read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read compute-optimal table " + file, e);
        }
    }
}
