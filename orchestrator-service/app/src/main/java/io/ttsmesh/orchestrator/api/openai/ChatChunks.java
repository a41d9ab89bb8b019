package io.ttsmesh.orchestrator.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code chat.completion.chunk} objects of one streamed chat completion, all with the same id, creation
 * time and model. With {@code include_usage} every chunk has {@code "usage": null} but the last, which has
 * the usage and no choices (as OpenAI streams it).
 */
final class ChatChunks {

    private final ObjectMapper mapper;
    private final String id;
    private final long created;
    private final String model;
    private final boolean includeUsage;

    ChatChunks(ObjectMapper mapper, String id, long created, String model, boolean includeUsage) {
        this.mapper = mapper;
        this.id = id;
        this.created = created;
        this.model = model;
        this.includeUsage = includeUsage;
    }

    /** A chunk whose one choice adds {@code text} to {@code field} (role, reasoning_content, content). */
    ObjectNode delta(String field, String text) {
        ObjectNode chunk = chunk();
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta").put(field, text);
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return chunk;
    }

    /** The chunk that ends the choice, with an empty delta. */
    ObjectNode finish(String reason) {
        ObjectNode chunk = chunk();
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta");
        choice.putNull("logprobs");
        choice.put("finish_reason", reason);
        return chunk;
    }

    /** The usage chunk: no choices. */
    ObjectNode usage(JsonNode usage) {
        ObjectNode chunk = chunk();
        chunk.putArray("choices");
        chunk.set("usage", usage);
        return chunk;
    }

    private ObjectNode chunk() {
        ObjectNode chunk = mapper.createObjectNode()
                .put("id", id)
                .put("object", "chat.completion.chunk")
                .put("created", created)
                .put("model", model);
        if (includeUsage) {
            chunk.putNull("usage");
        }
        return chunk;
    }
}
