package io.ttsmesh.orchestrator.api;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;

/**
 * The proto3 JSON mapping used on every JSON surface (REST, Kafka records, CloudEvents data): field names as
 * in the .proto files (snake_case; the parser also takes lowerCamelCase), fields without presence printed
 * even when zero (so a spend of 0 verifier calls is visible), unknown fields refused.
 */
public final class ProtoJson {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .preservingProtoFieldNames()
            .alwaysPrintFieldsWithNoPresence()
            .omittingInsignificantWhitespace();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private ProtoJson() {
    }

    public static String print(Message message) {
        try {
            return PRINTER.print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a message could not be written as JSON", e);
        }
    }

    /** Deepest JSON nesting accepted; a SolveRequest needs 3, hostile input may nest thousands deep. */
    public static final int MAX_DEPTH = 32;

    /** Parses JSON into {@code builder}; throws InvalidProtocolBufferException naming what is wrong. */
    public static <B extends Message.Builder> B parse(String json, B builder) throws InvalidProtocolBufferException {
        // Checked before the JSON parser sees it: its recursion would otherwise end in a StackOverflowError.
        if (depth(json) > MAX_DEPTH) {
            throw new InvalidProtocolBufferException("JSON nested deeper than " + MAX_DEPTH + " levels");
        }
        PARSER.merge(json, builder);
        return builder;
    }

    /** Deepest nesting of objects and arrays, outside strings. */
    static int depth(String json) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                max = Math.max(max, ++depth);
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return max;
    }
}
