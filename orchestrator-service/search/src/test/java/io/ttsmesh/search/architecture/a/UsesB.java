package io.ttsmesh.search.architecture.a;

import io.ttsmesh.search.architecture.b.UsesA;

/** Half of a deliberate package cycle: proves that ArchitectureTest's rule reports one. */
public final class UsesB {

    public UsesA other() {
        return new UsesA();
    }
}
