package io.ttsmesh.k8s.podman;

import java.math.BigDecimal;
import java.util.Map;

/** A Kubernetes resource quantity ("1536Mi", "2Gi", "500m", "2") as a number: bytes, or cores. */
record ResourceQuantity(BigDecimal value) {

    private static final Map<String, BigDecimal> SUFFIXES = Map.of(
            "Ki", BigDecimal.valueOf(1L << 10), "Mi", BigDecimal.valueOf(1L << 20), "Gi", BigDecimal.valueOf(1L << 30),
            "Ti", BigDecimal.valueOf(1L << 40), "k", BigDecimal.valueOf(1_000), "M", BigDecimal.valueOf(1_000_000),
            "G", BigDecimal.valueOf(1_000_000_000), "m", new BigDecimal("0.001"));

    static ResourceQuantity parse(String text) {
        for (var suffix : SUFFIXES.entrySet()) {
            if (text.endsWith(suffix.getKey()) && text.length() > suffix.getKey().length()) {
                String number = text.substring(0, text.length() - suffix.getKey().length());
                if (number.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
                    return new ResourceQuantity(new BigDecimal(number).multiply(suffix.getValue()));
                }
            }
        }
        try {
            return new ResourceQuantity(new BigDecimal(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a resource quantity: '" + text + "'", e);
        }
    }

    long asLong() {
        return value.longValueExact();
    }
}
