package io.ttsmesh.orchestrator.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ttsmesh.orchestrator.api.ProtoJson;
import io.ttsmesh.orchestrator.events.EventMessages;
import io.ttsmesh.proto.events.SearchEvent;

import java.time.Instant;

/**
 * A search event as a CloudEvents 1.0 JSON document (structured content mode): any Kafka client reads it
 * as plain JSON. {@code type} is {@code io.ttsmesh.search.<payload field name>}, {@code subject} the request
 * id, {@code id} request id and sequence (unique per source, and stable, so a consumer can drop duplicates),
 * {@code data} the event in the proto3 JSON mapping.
 */
public final class CloudEventEnvelope {

    /** Content type of a structured-mode CloudEvent (the Kafka protocol binding's content-type header). */
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
    public static final String TYPE_PREFIX = "io.ttsmesh.search.";

    private CloudEventEnvelope() {
    }

    public static String of(SearchEvent event, String source, ObjectMapper json) {
        try {
            ObjectNode envelope = json.createObjectNode()
                    .put("specversion", "1.0")
                    .put("id", event.getRequestId() + "." + event.getSequence())
                    .put("source", source)
                    .put("type", TYPE_PREFIX + EventMessages.payloadName(event))
                    .put("subject", event.getRequestId())
                    .put("time", Instant.ofEpochMilli(event.getTimeUnixMs()).toString())
                    .put("datacontenttype", "application/json");
            envelope.set("data", json.readTree(ProtoJson.print(event)));
            return json.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event could not be written as JSON", e);
        }
    }
}
