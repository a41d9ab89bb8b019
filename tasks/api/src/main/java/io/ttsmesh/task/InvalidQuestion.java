package io.ttsmesh.task;

/** A question that does not fit its task's schema; {@link #field()} names the part that is wrong. */
public final class InvalidQuestion extends IllegalArgumentException {

    private final String field;

    public InvalidQuestion(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** The message without the field name. */
    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}
