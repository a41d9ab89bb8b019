package io.ttsmesh.search.catalog;

import io.ttsmesh.search.InvalidSearchRequest;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A named strategy or policy: its description and parameters (what the catalog shows), and how to make
 * one from validated parameters.
 *
 * @param needsVerifier whether it always asks the verifier
 * @param factory makes an instance; may throw {@link InvalidParam} for combinations of values
 */
public record MethodDefinition<T>(String name, String description, boolean needsVerifier, List<ParamSpec> params,
                                  Function<Params, T> factory) {

    public MethodInfo info() {
        return new MethodInfo(name, description, params.stream().map(ParamSpec::info).toList(), needsVerifier);
    }

    /**
     * Parses and checks the client's parameters and makes the instance.
     *
     * @param field the request field that holds this method ("strategy", "policies[1]")
     * @throws InvalidSearchRequest naming the parameter ("strategy.params.n")
     */
    public T create(Map<String, String> given, String field) {
        return create(parse(given, field), field);
    }

    /** Makes the instance from parsed parameters; combinations the factory rejects name their parameter. */
    public T create(Params params, String field) {
        try {
            return factory.apply(params);
        } catch (InvalidParam e) {
            throw new InvalidSearchRequest(e.param() == null ? field + ".name" : field + ".params." + e.param(), e.getMessage());
        }
    }

    /**
     * Parses the client's parameters: every key must be declared, every value valid; missing ones take
     * their defaults.
     *
     * @throws InvalidSearchRequest naming the parameter
     */
    public Params parse(Map<String, String> given, String field) {
        Map<String, String> raw = given == null ? Map.of() : given;
        Map<String, ParamSpec> byName = new LinkedHashMap<>();
        params.forEach(p -> byName.put(p.name(), p));
        for (String key : raw.keySet()) {
            if (!byName.containsKey(key)) {
                throw new InvalidSearchRequest(field + ".params." + key, "unknown parameter of " + name + " (known: "
                        + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())) + ")");
            }
        }
        Map<String, Object> values = new HashMap<>();
        for (ParamSpec p : params) {
            String text = raw.containsKey(p.name()) ? raw.get(p.name()) : p.defaultValue();
            try {
                values.put(p.name(), p.parse(text));
            } catch (IllegalArgumentException e) {
                throw new InvalidSearchRequest(field + ".params." + p.name(), e.getMessage());
            }
        }
        return new Params(values, raw.keySet());
    }

    /** The names of the definitions, for "unknown ... (known: a, b, c)" messages. */
    public static String names(List<? extends MethodDefinition<?>> definitions) {
        return definitions.stream().map(MethodDefinition::name).collect(Collectors.joining(", "));
    }
}
