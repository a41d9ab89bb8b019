package io.ttsmesh.mesh.soak;

import java.util.Map;

/**
 * One sample of the soak.
 *
 * @param seconds since the soak's start (its capacity phase)
 * @param phase   capacity, soak, drain or idle
 * @param values  column (e.g. {@code rss_mb.generator}, {@code p99_ms}) to value; NaN where it could not be read
 */
record SoakSample(double seconds, String phase, Map<String, Double> values) {

    SoakSample {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    double get(String column) {
        return values.getOrDefault(column, Double.NaN);
    }
}
