package io.ttsmesh.orchestrator.events;

import io.ttsmesh.proto.orchestrator.MethodInfo;
import io.ttsmesh.proto.orchestrator.ParamInfo;
import io.ttsmesh.proto.orchestrator.StrategyCatalog;
import io.ttsmesh.proto.orchestrator.TaskInfo;
import io.ttsmesh.search.run.SearchCatalog;

/** The search catalog as the ListStrategies answer. */
public final class CatalogMessages {

    private CatalogMessages() {
    }

    public static StrategyCatalog catalog(SearchCatalog catalog) {
        return StrategyCatalog.newBuilder()
                .addAllStrategies(catalog.strategies().stream().map(CatalogMessages::method).toList())
                .addAllPolicies(catalog.policies().stream().map(CatalogMessages::method).toList())
                .addAllVerifiers(catalog.verifiers())
                .addAllAggregations(catalog.aggregations())
                .addAllTasks(catalog.tasks().stream().map(t -> TaskInfo.newBuilder()
                        .setName(t.name())
                        .setDescription(text(t.description()))
                        .addAllVerifiers(t.verifiers())
                        .setDefaultVerifier(text(t.defaultVerifier()))
                        .build()).toList())
                .build();
    }

    private static MethodInfo method(io.ttsmesh.search.catalog.MethodInfo m) {
        var info = MethodInfo.newBuilder()
                .setName(m.name())
                .setDescription(text(m.description()))
                .setNeedsVerifier(m.needsVerifier());
        for (var p : m.params()) {
            info.addParams(ParamInfo.newBuilder()
                    .setName(p.name())
                    .setType(text(p.type()))
                    .setDefaultValue(text(p.defaultValue()))
                    .setMin(text(p.min()))
                    .setMax(text(p.max()))
                    .addAllAllowed(p.allowed() == null ? java.util.List.of() : p.allowed())
                    .setDescription(text(p.description())));
        }
        return info.build();
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }
}
