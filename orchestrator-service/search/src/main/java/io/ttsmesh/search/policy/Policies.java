package io.ttsmesh.search.policy;

import io.ttsmesh.search.SearchSettings;
import io.ttsmesh.search.catalog.MethodDefinition;

import java.util.List;

/** The catalog of policies. */
public final class Policies {

    private Policies() {
    }

    public static List<MethodDefinition<Policy>> definitions(SearchSettings settings) {
        return List.of();
    }
}
