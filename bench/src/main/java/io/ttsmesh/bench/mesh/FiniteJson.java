package io.ttsmesh.bench.mesh;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON has no NaN: a value that was not measured is written as null. */
final class FiniteJson {

    private FiniteJson() {
    }

    static void put(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, Math.round(value * 1000.0) / 1000.0);
        } else {
            node.putNull(field);
        }
    }
}
