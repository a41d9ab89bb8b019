package io.ttsmesh.search.architecture.b;

import io.ttsmesh.search.architecture.a.UsesB;

/** The other half of the deliberate package cycle of ArchitectureTest. */
public final class UsesA {

    public UsesB other() {
        return new UsesB();
    }
}
