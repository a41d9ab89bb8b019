package io.ttsmesh.orchestrator.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Descriptors;
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
            return unescapeHtmlSafe(PRINTER.print(message));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a message could not be written as JSON", e);
        }
    }

    /**
     * The printer writes strings through Gson's HTML-safe escaping: {@code =}, {@code <}, {@code >}, {@code &}
     * and {@code '} come out as {@code \u003d} and the like, which is valid JSON but unreadable in logs, curl
     * and Kafka tools ("3+4\u003d7"). Writes those five back as themselves; every other escape, and an
     * escaped backslash followed by "u003d", stay as they are.
     */
    static String unescapeHtmlSafe(String json) {
        if (json.indexOf("\\u00") < 0) {
            return json;
        }
        StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c != '\\' || i + 1 >= json.length()) {
                out.append(c);
                continue;
            }
            char next = json.charAt(i + 1);
            if (next == 'u' && i + 6 <= json.length()) {
                char plain = switch (json.substring(i + 2, i + 6)) {
                    case "003d" -> '=';
                    case "003c" -> '<';
                    case "003e" -> '>';
                    case "0026" -> '&';
                    case "0027" -> '\'';
                    default -> 0;
                };
                if (plain != 0) {
                    out.append(plain);
                    i += 5;
                    continue;
                }
            }
            out.append(c).append(next); // an escape pair, copied whole so that its second char is not read as a start
            i++;
        }
        return out.toString();
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

    /**
     * The field of {@code json} that made {@link #parse} refuse it, as a path in the .proto's names
     * ({@code budget.max_tokens}, {@code policies[1].name}, an unknown {@code colour}); "body" when the text
     * is not a JSON object at all. Found by parsing each field alone, descending into the one that fails.
     */
    public static String blame(String json, Message.Builder builder) {
        try {
            JsonElement tree = JsonParser.parseString(json);
            if (!tree.isJsonObject() || depth(json) > MAX_DEPTH) {
                return "body";
            }
            String field = blame(tree.getAsJsonObject(), builder, "");
            return field == null ? "body" : field;
        } catch (RuntimeException e) {
            return "body";
        }
    }

    private static String blame(JsonObject object, Message.Builder builder, String prefix) {
        Descriptors.Descriptor type = builder.getDescriptorForType();
        for (var entry : object.entrySet()) {
            Descriptors.FieldDescriptor field = type.findFieldByName(entry.getKey());
            if (field == null) {
                field = type.getFields().stream().filter(f -> f.getJsonName().equals(entry.getKey())).findFirst().orElse(null);
            }
            String path = prefix + (field == null ? entry.getKey() : field.getName());
            if (field == null) {
                return path;
            }
            JsonObject alone = new JsonObject();
            alone.add(entry.getKey(), entry.getValue());
            if (parses(alone, builder.getDefaultInstanceForType().newBuilderForType())) {
                continue;
            }
            boolean message = field.getJavaType() == Descriptors.FieldDescriptor.JavaType.MESSAGE && !field.isMapField()
                    && !field.getMessageType().getFullName().startsWith("google.protobuf.");
            JsonElement value = entry.getValue();
            if (message && !field.isRepeated() && value.isJsonObject()) {
                String inner = blame(value.getAsJsonObject(), builder.newBuilderForField(field), path + ".");
                return inner == null ? path : inner;
            }
            if (message && field.isRepeated() && value.isJsonArray()) {
                for (int i = 0; i < value.getAsJsonArray().size(); i++) {
                    JsonElement element = value.getAsJsonArray().get(i);
                    if (!element.isJsonObject()) {
                        return path + "[" + i + "]";
                    }
                    if (!parses(element.getAsJsonObject(), builder.newBuilderForField(field))) {
                        String inner = blame(element.getAsJsonObject(), builder.newBuilderForField(field), path + "[" + i + "].");
                        return inner == null ? path + "[" + i + "]" : inner;
                    }
                }
            }
            return path;
        }
        return null;
    }

    private static boolean parses(JsonObject json, Message.Builder builder) {
        try {
            PARSER.merge(json.toString(), builder);
            return true;
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return false;
        }
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
