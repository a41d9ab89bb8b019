package io.ttsmesh.search.architecture;

import io.ttsmesh.search.architecture.a.UsesB;

/** A root-package class in a deliberate cycle with a feature package: proves the rule sees the root package too. */
public final class Vocabulary {

    public UsesB feature() {
        return new UsesB();
    }
}
