package io.ttsmesh.search.catalog;

import io.ttsmesh.search.MethodSpec;

import java.util.Map;
import java.util.Set;

/** The parsed parameters of one strategy or policy: every declared parameter, given or defaulted. */
public final class Params {

    private final Map<String, Object> values;
    private final Set<String> given;

    Params(Map<String, Object> values, Set<String> given) {
        this.values = Map.copyOf(values);
        this.given = Set.copyOf(given);
    }

    public int integer(String name) {
        return Math.toIntExact((Long) value(name));
    }

    public long longValue(String name) {
        return (Long) value(name);
    }

    public double decimal(String name) {
        return (Double) value(name);
    }

    public boolean bool(String name) {
        return (Boolean) value(name);
    }

    public String choice(String name) {
        return (String) value(name);
    }

    /** Whether the client gave this parameter (rather than taking its default). */
    public boolean given(String name) {
        return given.contains(name);
    }

    /** The method with every parameter's value as text, for reporting what ran. */
    public MethodSpec spec(String method) {
        return new MethodSpec(method, asText());
    }

    /** The values as text, for reporting what ran. */
    public Map<String, String> asText() {
        var text = new java.util.TreeMap<String, String>();
        values.forEach((k, v) -> text.put(k, v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15
                ? Long.toString(d.longValue()) : String.valueOf(v)));
        return text;
    }

    private Object value(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("undeclared parameter " + name);
        }
        return v;
    }
}
