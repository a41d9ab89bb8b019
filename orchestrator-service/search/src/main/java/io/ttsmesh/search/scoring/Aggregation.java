package io.ttsmesh.search.scoring;

import java.util.Locale;

/** How a branch's step scores combine into one score. */
public enum Aggregation {
    LAST, MIN, PROD, MEAN;

    public double apply(float[] stepScores) {
        if (stepScores.length == 0) {
            return Double.NaN;
        }
        return switch (this) {
            case LAST -> stepScores[stepScores.length - 1];
            case MIN -> {
                double min = Double.POSITIVE_INFINITY;
                for (float s : stepScores) {
                    min = Math.min(min, s);
                }
                yield min;
            }
            case PROD -> {
                double prod = 1;
                for (float s : stepScores) {
                    prod *= s;
                }
                yield prod;
            }
            case MEAN -> {
                double sum = 0;
                for (float s : stepScores) {
                    sum += s;
                }
                yield sum / stepScores.length;
            }
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Aggregation parse(String name) {
        if (name == null || name.isBlank()) {
            return LAST;
        }
        for (Aggregation a : values()) {
            if (a.wireName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown aggregation '" + name + "' (last, min, prod, mean)");
    }
}
