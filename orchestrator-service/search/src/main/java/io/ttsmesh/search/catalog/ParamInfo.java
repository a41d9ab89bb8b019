package io.ttsmesh.search.catalog;

import java.util.List;

/**
 * One parameter of a strategy or policy, as ListStrategies shows it.
 *
 * @param type "int", "float", "bool" or "enum"
 * @param min inclusive lower bound for numbers, or null
 * @param max inclusive upper bound for numbers, or null
 * @param allowed the values of an enum, else empty
 */
public record ParamInfo(String name, String type, String defaultValue, String min, String max, List<String> allowed,
                        String description) {
}
