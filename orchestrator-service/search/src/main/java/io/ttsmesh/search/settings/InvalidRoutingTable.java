package io.ttsmesh.search.settings;

/** A routing table that cannot be served; {@code field} names where ("budgets[1].routes[0].difficulty"). */
public class InvalidRoutingTable extends IllegalArgumentException {

    private final String field;

    public InvalidRoutingTable(String field, String message) {
        super("invalid routing table: " + field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
