package io.ttsmesh.search.architecture.a;

import io.ttsmesh.search.architecture.Vocabulary;
import io.ttsmesh.search.architecture.b.UsesA;

/** Part of deliberate package cycles (with b, and with the root package): proves ArchitectureTest's rule reports them. */
public final class UsesB {

    public UsesA other() {
        return new UsesA();
    }

    public Vocabulary vocabulary() {
        return null;
    }
}
