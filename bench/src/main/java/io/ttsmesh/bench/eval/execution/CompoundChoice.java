package io.ttsmesh.bench.eval.execution;

import io.ttsmesh.search.MethodSpec;

import java.util.Map;
import java.util.stream.Collectors;

/** How a chosen strategy is written in the results: "beam_search n=8 width=4". */
final class CompoundChoice {

    private CompoundChoice() {
    }

    static String describe(MethodSpec spec) {
        return describe(spec.name(), spec.params());
    }

    static String describe(String name, Map<String, String> params) {
        if (params.isEmpty()) {
            return name;
        }
        return name + " " + params.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
