package io.ttsmesh.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** A rendered set of Kubernetes resources (one YAML stream), with look-ups by kind and name. */
final class Manifest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final List<JsonNode> resources;

    private Manifest(List<JsonNode> resources) {
        this.resources = List.copyOf(resources);
    }

    static Manifest parse(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rendered YAML does not parse", e);
        }
        return new Manifest(docs);
    }

    List<JsonNode> all() {
        return resources;
    }

    Stream<JsonNode> ofKind(String kind) {
        return resources.stream().filter(r -> kind.equals(kind(r)));
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).filter(r -> name.equals(name(r))).findFirst();
    }

    /** Deployments, StatefulSets, DaemonSets and Jobs: everything with a pod template. */
    Stream<JsonNode> workloads() {
        return resources.stream().filter(r -> !r.at("/spec/template/spec").isMissingNode());
    }

    static String kind(JsonNode r) {
        return r.path("kind").asText();
    }

    static String apiVersion(JsonNode r) {
        return r.path("apiVersion").asText();
    }

    static String name(JsonNode r) {
        return r.at("/metadata/name").asText();
    }

    /** The namespace, or "" when the manifest sets none (the base). */
    static String namespace(JsonNode r) {
        return r.at("/metadata/namespace").asText("");
    }

    static String id(JsonNode r) {
        return kind(r) + " " + name(r);
    }

    static boolean sameNamespace(JsonNode a, JsonNode b) {
        return Objects.equals(namespace(a), namespace(b));
    }
}
