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

    /** Parses JSON into {@code builder}; throws InvalidProtocolBufferException naming what is wrong. */
    public static <B extends Message.Builder> B parse(String json, B builder) throws InvalidProtocolBufferException {
        PARSER.merge(json, builder);
        return builder;
    }
}
