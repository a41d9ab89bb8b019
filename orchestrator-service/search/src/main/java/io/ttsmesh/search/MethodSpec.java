package io.ttsmesh.search;

import java.util.Map;

/** A strategy or policy as the client named it: a name and its parameters as text ("8", "0.25", "min"). */
public record MethodSpec(String name, Map<String, String> params) {

    public MethodSpec {
        params = Map.copyOf(params);
    }

    public static MethodSpec of(String name) {
        return new MethodSpec(name, Map.of());
    }

    public static MethodSpec of(String name, Map<String, String> params) {
        return new MethodSpec(name, params);
    }
}
