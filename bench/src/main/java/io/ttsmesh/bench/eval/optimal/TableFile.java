package io.ttsmesh.bench.eval.optimal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ttsmesh.search.settings.ComputeOptimalTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes compute-optimal tables in the search module's versioned format (and checks they read back). */
public final class TableFile {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private TableFile() {
    }

    public static void write(ComputeOptimalTable table, Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, JSON.writeValueAsString(table) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write compute-optimal table " + file, e);
        }
        ComputeOptimalTable.read(file);
    }

    /**
     * A table that only measures: one bin for every estimate, naming a strategy of one sample. A run with the
     * compute_optimal policy and this table records each question's difficulty estimate exactly as the policy
     * computes it at run time, and the tokens its difficulty samples cost.
     */
    public static ComputeOptimalTable probe(int samples, String verifier, String aggregation) {
        return new ComputeOptimalTable(ComputeOptimalTable.FORMAT, ComputeOptimalTable.VERSION, "difficulty-probe",
                "measures the difficulty estimate of every question; not for serving",
                new ComputeOptimalTable.Difficulty(samples, verifier, aggregation),
                List.of(new ComputeOptimalTable.BudgetRow(1, List.of(new ComputeOptimalTable.Bin(1.0,
                        new ComputeOptimalTable.StrategyEntry("self_consistency", Map.of("n", "1")), null, null)))));
    }
}
