package io.ttsmesh.search.catalog;

import java.util.List;

/** A strategy or policy, its parameters, and whether it asks the verifier. */
public record MethodInfo(String name, String description, List<ParamInfo> params, boolean needsVerifier) {
}
