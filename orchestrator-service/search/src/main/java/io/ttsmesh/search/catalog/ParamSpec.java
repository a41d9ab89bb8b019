package io.ttsmesh.search.catalog;

import java.util.List;
import java.util.Locale;

/**
 * The declaration of one parameter of a strategy or policy: its type, default and bounds. It parses the
 * client's text and produces the {@link ParamInfo} that ListStrategies shows, so what is validated and
 * what is documented cannot drift apart.
 */
public record ParamSpec(String name, String type, String defaultValue, Double min, Double max, List<String> allowed,
                        String description) {

    public static final String INT = "int";
    public static final String FLOAT = "float";
    public static final String BOOL = "bool";
    public static final String ENUM = "enum";

    public static ParamSpec integer(String name, long defaultValue, long min, long max, String description) {
        return new ParamSpec(name, INT, Long.toString(defaultValue), (double) min, (double) max, List.of(), description);
    }

    public static ParamSpec decimal(String name, double defaultValue, double min, double max, String description) {
        return new ParamSpec(name, FLOAT, format(defaultValue), min, max, List.of(), description);
    }

    public static ParamSpec bool(String name, boolean defaultValue, String description) {
        return new ParamSpec(name, BOOL, Boolean.toString(defaultValue), null, null, List.of(), description);
    }

    public static ParamSpec choice(String name, String defaultValue, List<String> allowed, String description) {
        return new ParamSpec(name, ENUM, defaultValue, null, null, List.copyOf(allowed), description);
    }

    public ParamInfo info() {
        String lo = min == null ? null : bound(min);
        String hi = max == null ? null : bound(max);
        return new ParamInfo(name, type, defaultValue, lo, hi, allowed, description);
    }

    /**
     * The typed value of {@code text}: a Long, Double, Boolean or String.
     *
     * @throws IllegalArgumentException with a message for the client when the text is not a valid value
     */
    public Object parse(String text) {
        String s = text == null ? "" : text.strip();
        return switch (type) {
            case INT -> {
                long v;
                try {
                    v = Long.parseLong(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be an integer, got '" + text + "'");
                }
                checkRange(v);
                yield v;
            }
            case FLOAT -> {
                double v;
                try {
                    v = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a number, got '" + text + "'");
                }
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("must be a finite number, got '" + text + "'");
                }
                checkRange(v);
                yield v;
            }
            case BOOL -> switch (s.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("must be true or false, got '" + text + "'");
            };
            case ENUM -> {
                String v = s.toLowerCase(Locale.ROOT);
                if (!allowed.contains(v)) {
                    throw new IllegalArgumentException("must be one of " + String.join(", ", allowed) + ", got '" + text + "'");
                }
                yield v;
            }
            default -> throw new IllegalStateException("unknown parameter type " + type);
        };
    }

    private void checkRange(double v) {
        if ((min != null && v < min) || (max != null && v > max)) {
            throw new IllegalArgumentException("must be in [" + bound(min) + ", " + bound(max) + "], got " + format(v));
        }
    }

    private String bound(Double b) {
        if (b == null) {
            return "";
        }
        return type.equals(INT) ? Long.toString(b.longValue()) : format(b);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
